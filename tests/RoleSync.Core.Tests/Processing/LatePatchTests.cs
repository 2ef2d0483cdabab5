using Microsoft.Extensions.Time.Testing;
using RoleSync.Processing;
using static RoleSync.Testing.Messages;
using static RoleSync.Testing.RoleSyncHarness;

namespace RoleSync.Core.Tests.Processing;

/// <summary>
/// Issue 12's headline scenario through the real processor: a PATCH that Clerk receives but applies late, after a newer
/// change was applied. The late PATCH comes from the sandbox's <c>HoldPatches</c>; the client's attempt timeout runs on
/// a <see cref="FakeTimeProvider"/> advanced once the sandbox holds the PATCH (no sleeps).
/// </summary>
public sealed class LatePatchTests
{
    private static readonly TimeSpan AttemptTimeout = TimeSpan.FromSeconds(5);

    // Fails today at the last-but-one assertion: Clerk ends on org:admin, the redelivered t1 is judged Stale and nothing
    // repairs it. Enabled by the change that makes the processor verify (read back and repair) when in doubt.
    [Fact(Skip = "issue 12: fixed by verification — enable when the processor verifies")]
    public async Task A_late_patch_of_an_older_change_does_not_undo_the_newer_one()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var h = await StartAsync(
            settings: new Dictionary<string, string?>
            {
                ["Clerk:AttemptTimeout"] = AttemptTimeout.ToString(),
                ["Clerk:MaxRetryAttempts"] = "0",
            },
            timeProvider: time);
        using var hold = h.Clerk.HoldPatches(OrgId, MemberId);
        var t1 = Bytes(Plain("evt-t1", BaseTime, role: "org:admin"));
        var t2 = Bytes(Plain("evt-t2", BaseTime.AddMinutes(1), role: "org:member"));

        // Worker A processes t1 (org:admin): Clerk receives its PATCH but does not apply it yet; A gives up waiting.
        var workerA = h.Processor.ProcessAsync(t1);
        await hold.WhenHeldAsync();
        time.Advance(AttemptTimeout);
        Assert.Equal(Outcome.Transient, (await workerA).Outcome);

        // Worker B processes the newer t2 (org:member): applied.
        Assert.Equal(Outcome.Applied, (await h.Processor.ProcessAsync(t2)).Outcome);

        // Then A's PATCH lands: Clerk says org:admin again.
        Assert.Equal("org:admin", Assert.Single(hold.Land()).Role);
        Assert.Equal("org:admin", h.Clerk.GetRole(OrgId, MemberId));

        // A's message is redelivered (its transient outcome asked for a retry).
        await h.Processor.ProcessAsync(t1);

        // Clerk must end on the newest change, and the ledger still knows t2 as the newest.
        Assert.Equal("org:member", h.Clerk.GetRole(OrgId, MemberId));
        Assert.Equal("evt-t2", (await h.Ledger.GetAsync(OrgId, MemberId))!.NewestEventId);
    }
}
