namespace RoleSync.Infra.Tests;

public sealed class DiagnosticsTests(InfraFixture fixture) : IClassFixture<InfraFixture>
{
    private readonly CompiledInfra _infra = fixture.Infra;

    [Fact]
    public void Build_reports_no_error_and_no_warning() =>
        Assert.True(_infra.BuildDiagnostics.Count == 0, "bicep build diagnostics:\n" + string.Join('\n', _infra.BuildDiagnostics));

    [Fact]
    public void Lint_reports_no_error_and_no_warning() =>
        Assert.True(_infra.LintDiagnostics.Count == 0, "bicep lint diagnostics:\n" + string.Join('\n', _infra.LintDiagnostics));

    [Fact]
    public async Task Lint_configuration_turns_the_rules_relied_on_into_errors()
    {
        // The same bicepconfig.json next to a file that breaks two of its rules: both must be errors, which
        // shows the configuration is read and its levels are in force.
        var directory = Directory.CreateTempSubdirectory("rolesync-lint-");
        try
        {
            File.Copy(Path.Combine(CompiledInfra.InfraDirectory, "bicepconfig.json"), Path.Combine(directory.FullName, "bicepconfig.json"));
            var file = Path.Combine(directory.FullName, "broken.bicep");
            await File.WriteAllTextAsync(file, """
                param unused string
                @secure()
                param clerkKey string
                output leaked string = clerkKey
                """);

            var diagnostics = await BicepCli.LintAsync(file, CancellationToken.None);

            Assert.Contains(diagnostics, d => d.StartsWith("error no-unused-params ", StringComparison.Ordinal));
            Assert.Contains(diagnostics, d => d.StartsWith("error outputs-should-not-contain-secrets ", StringComparison.Ordinal));
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    [Fact]
    public void Template_uses_no_registry_module()
    {
        // Registry modules (br:, br/public:, ts:) cannot be restored offline; local modules compile inline.
        foreach (var file in Directory.EnumerateFiles(CompiledInfra.InfraDirectory, "*.bicep", SearchOption.AllDirectories))
        {
            var text = File.ReadAllText(file);
            Assert.DoesNotMatch(@"module\s+\w+\s+'(br|ts)[:/]", text);
        }

        Assert.All(_infra.Modules(), m => Assert.NotNull(m.Deployment["properties"]?["template"]));
    }
}
