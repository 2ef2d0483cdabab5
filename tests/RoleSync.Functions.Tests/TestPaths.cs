namespace RoleSync.Functions.Tests;

/// <summary>Where the files the tests read live (recorded at build time by the test project).</summary>
internal static class TestPaths
{
    public static string RepositoryRoot { get; } = Metadata("RepositoryRoot");

    public static string FunctionsOutputDirectory { get; } = Metadata("FunctionsOutputDirectory");

    public static string InRepository(params string[] parts) => Path.Combine([RepositoryRoot, .. parts]);

    private static string Metadata(string key) =>
        typeof(TestPaths).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == key).Value
        ?? throw new InvalidOperationException($"No {key} metadata.");
}
