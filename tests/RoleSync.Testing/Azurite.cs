using RoleSync.Emulators;

namespace RoleSync.Testing;

/// <summary>
/// One Azurite Table service per test process (<see cref="AzuriteProcess"/>), started on first use on a free
/// 127.0.0.1 port with in-memory persistence and stopped when the process exits. Tests isolate themselves by table
/// name (<see cref="NewTableName"/>), so they can share it and run in parallel. When Azurite is missing, the error
/// says how to install it.
/// </summary>
public static class Azurite
{
    /// <summary>Azurite's well-known development account (public, documented by Microsoft; not a secret).</summary>
    public const string AccountName = AzuriteProcess.AccountName;

    private static readonly Lazy<Task<AzuriteProcess>> Instance = new(StartAsync);

    /// <summary>A connection string for the shared Azurite Table endpoint.</summary>
    public static async Task<string> GetConnectionStringAsync() => (await Instance.Value.ConfigureAwait(false)).ConnectionString;

    /// <summary>A connection string to a port where nothing listens (port 9, discard), for "storage is down" tests.</summary>
    public static string UnreachableConnectionString { get; } = AzuriteProcess.ConnectionStringFor(9);

    /// <summary>A table name no other test uses.</summary>
    public static string NewTableName(string prefix = "t") => prefix + Guid.NewGuid().ToString("N")[..20];

    private static Task<AzuriteProcess> StartAsync() => AzuriteProcess.StartAsync(
        AzuriteProcess.FindExecutable() ?? throw new InvalidOperationException(
            "Azurite is not installed, and the ledger tests need it. " + AzuriteProcess.InstallHint));
}
