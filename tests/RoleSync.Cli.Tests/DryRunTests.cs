namespace RoleSync.Cli.Tests;

public sealed class DryRunTests
{
    [Fact]
    public async Task Dry_run_reads_memberships_sends_no_patch_and_reports_what_apply_would_do()
    {
        await using var clerk = await StartAsync();
        string[] lines =
        [
            Messages.Plain("evt-promote", At(1), userId: MemberId, role: "org:admin"),
            Messages.Plain("evt-same", At(1), userId: AdminId, role: "org:admin"),
            Messages.Plain("evt-stranger", At(1), userId: StrangerId, role: "org:admin"),
            Messages.Plain("evt-invalid", At(1), userId: Member2Id, role: "admin"),
            Messages.Plain("evt-newer", At(9), userId: Member2Id, role: "org:billing"),
            Messages.Plain("evt-older", At(8), userId: Member2Id, role: "org:admin"),
            Messages.Plain("evt-promote", At(1), userId: MemberId, role: "org:admin"),
            Messages.Plain("evt-back", At(2), userId: MemberId, role: "org:member"),
        ];

        var result = await CliRun.ApplyAsync(clerk, lines, "--dry-run");

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Equal(["would-apply", "unchanged", "not-found", "rejected", "would-apply", "stale", "duplicate", "would-apply"], result.Outcomes);
        Assert.Equal([null, null, "MembershipNotFound", "InvalidMessage", null, null, null, null],
            result.Lines.Select(l => l.GetProperty("reason").GetString()));
        Assert.Equal("org:member -> org:admin", result.Lines[0].GetProperty("detail").GetString());
        Assert.Equal("org:admin -> org:member (after evt-promote)", result.Lines[7].GetProperty("detail").GetString());
        Assert.Equal(0, clerk.PatchCount);
        Assert.Contains(clerk.Requests, r => r.Method == "GET");
        Assert.Equal("org:member", clerk.GetRole(OrgId, MemberId));
        Assert.Equal("org:member", clerk.GetRole(OrgId, Member2Id));
        Assert.Contains("rolesync apply --dry-run: 8 messages: 3 would-apply, 1 unchanged, 1 not-found, 1 stale, 1 duplicate, 1 rejected", result.Stderr);
    }

    [Fact]
    public async Task Dry_run_exits_zero_when_nothing_would_be_rejected()
    {
        await using var clerk = await StartAsync();

        var result = await CliRun.ApplyAsync(clerk,
        [
            Messages.Plain("evt-1", userId: MemberId, role: "org:billing"),
            Messages.Plain("evt-2", userId: AdminId, role: "org:admin"),
        ], "--dry-run");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(["would-apply", "unchanged"], result.Outcomes);
        Assert.Equal(0, clerk.PatchCount);
    }
}
