namespace RoleSync.Cli.Tests;

/// <summary>The repository's samples (copied to the test output) and what applying them gives, as README and docs/cli.md show it.</summary>
internal static class Samples
{
    public static readonly string[] Outcomes =
        ["applied", "applied", "applied", "applied", "stale", "duplicate", "rejected", "rejected", "rejected", "applied", "applied",
         "applied", "applied", "applied", "applied"];

    /// <summary>Line 8's "admin" is an HR role name once a mapping is configured: not mapped, so RoleNotMapped.</summary>
    public static readonly string?[] Reasons =
        [null, null, null, null, null, null, "MembershipNotFound", "RoleNotMapped", "RoleNotFound", null, null, null, null, null, null];

    /// <summary>The settings the demo and the README's run command use: joiners are created, "Manager" maps to org:admin.</summary>
    public static readonly Dictionary<string, string?> Environment = new()
    {
        ["Membership__CreateMissing"] = "true",
        ["Roles__Map__Manager"] = "org:admin",
    };

    /// <summary>samples/role-changes.jsonl.</summary>
    public static string RoleChangesPath => Path.Combine(AppContext.BaseDirectory, "samples", "role-changes.jsonl");

    /// <summary>The Clerk sandbox on a free port, seeded from samples/sandbox-seed.json.</summary>
    public static async Task<ClerkSandbox.ClerkSandbox> StartSandboxAsync()
    {
        var sandbox = await ClerkSandbox.ClerkSandbox.StartAsync();
        sandbox.LoadSeed(await File.ReadAllTextAsync(Path.Combine(AppContext.BaseDirectory, "samples", "sandbox-seed.json")));
        return sandbox;
    }
}
