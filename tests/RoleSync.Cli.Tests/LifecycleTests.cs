using static RoleSync.Cli.Tests.TestSandbox;

namespace RoleSync.Cli.Tests;

/// <summary>Joiners, movers and leavers from the command line, with the settings read from environment variables.</summary>
public sealed class LifecycleTests
{
    private const string JoinerId = "user_2JoinerCli000000000000000001";

    private static readonly Dictionary<string, string?> Environment = new()
    {
        ["Membership__CreateMissing"] = "true",
        ["Roles__Map__Engineering Manager"] = "org:admin",
    };

    private static async Task<ClerkSandbox.ClerkSandbox> StartWithUsersAsync()
    {
        var clerk = await StartAsync();
        clerk.AddUser(JoinerId, "WD-9", "joiner@example.com");
        clerk.AddUser(MemberId, "WD-1", "member@example.com");
        clerk.AddUser(Member2Id, "WD-2", "member2@example.com");
        return clerk;
    }

    private static readonly string[] Lines =
    [
        Messages.Message("evt-join", At(1), emailAddress: "Joiner@Example.com", role: "org:member"),
        Messages.Message("evt-move", At(2), externalId: "WD-1", role: "Engineering Manager"),
        Messages.Message("evt-leave", At(3), emailAddress: "member2@example.com", role: null, action: "remove"),
        Messages.Message("evt-leave-again", At(4), userId: Member2Id, role: null, action: "remove"),
        Messages.Message("evt-ghost", At(5), externalId: "WD-404", role: "org:member"),
    ];

    [Fact]
    public async Task Apply_creates_maps_and_removes_with_the_settings_from_the_environment()
    {
        await using var clerk = await StartWithUsersAsync();

        var result = await CliRun.ApplyAsync(clerk, Lines, Environment);

        Assert.Equal(["applied", "applied", "applied", "applied", "rejected"], result.Outcomes);
        Assert.Equal("UserNotFound", result.Lines[4].GetProperty("reason").GetString());
        Assert.Equal("org:member", clerk.GetRole(OrgId, JoinerId));
        Assert.Equal("org:admin", clerk.GetRole(OrgId, MemberId));
        Assert.Null(clerk.GetRole(OrgId, Member2Id));
        Assert.Contains("5 messages: 4 applied, 1 rejected", result.Stderr);
    }

    [Fact]
    public async Task Dry_run_shows_would_create_would_apply_would_remove_unchanged_and_not_found()
    {
        await using var clerk = await StartWithUsersAsync();

        var result = await CliRun.ApplyAsync(clerk, Lines, Environment, "--dry-run");

        Assert.Equal(["would-create", "would-apply", "would-remove", "unchanged", "not-found"], result.Outcomes);
        Assert.Equal(0, result.ExitCode);
        Assert.All(clerk.Requests, r => Assert.Equal("GET", r.Method));
        Assert.Contains("5 messages: 1 would-apply, 1 would-create, 1 would-remove, 1 unchanged, 1 not-found", result.Stderr);
    }

    [Fact]
    public async Task Without_CreateMissing_a_joiner_is_not_found_in_the_dry_run_and_rejected_by_apply()
    {
        await using var clerk = await StartWithUsersAsync();
        string[] joiner = [Lines[0]];

        var planned = await CliRun.ApplyAsync(clerk, joiner, "--dry-run");
        var applied = await CliRun.ApplyAsync(clerk, joiner);

        Assert.Equal(["not-found"], planned.Outcomes);
        Assert.Equal(["rejected"], applied.Outcomes);
        Assert.Equal("MembershipNotFound", applied.Lines[0].GetProperty("reason").GetString());
    }

    [Fact]
    public async Task Validate_accepts_HR_role_names_only_with_a_mapping_and_names_an_invalid_mapping()
    {
        var line = Messages.Message("evt-1", externalId: "WD-1", role: "Engineering Manager") + "\n";

        var without = await CliRun.RunAsync(["validate", "-"], line);
        var with = await CliRun.RunAsync(["validate", "-"], line, Environment);
        var invalid = await CliRun.RunAsync(["validate", "-"], line, new Dictionary<string, string?> { ["Roles__Map__Manager"] = "admin" });

        Assert.Equal(2, without.ExitCode);
        Assert.Contains("role: must be", without.Stdout);
        Assert.Equal(0, with.ExitCode);
        Assert.Equal(1, invalid.ExitCode);
        Assert.Contains("Roles:Map:Manager must be a Clerk role key", invalid.Stderr);
    }
}
