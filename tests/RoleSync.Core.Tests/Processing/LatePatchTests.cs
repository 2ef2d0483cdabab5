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

    // Failed before verification at the last-but-one assertion: Clerk ended on org:admin, the redelivered t1 was judged
    // Stale and nothing repaired it. Now the redelivered stale message reads Clerk back and repairs it.
    [Fact]
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
        var retry = await h.Processor.ProcessAsync(t1, new ProcessingContext(Redelivered: true));
        Assert.Equal(Outcome.Stale, retry.Outcome);
        Assert.Contains("repaired to org:member", retry.Detail);

        // Clerk must end on the newest change, and the ledger still knows t2 as the newest.
        Assert.Equal("org:member", h.Clerk.GetRole(OrgId, MemberId));
        Assert.Equal("evt-t2", (await h.Ledger.GetAsync(OrgId, MemberId))!.NewestEventId);
    }

    [Fact]
    public async Task A_worker_cancelled_after_its_patch_was_sent_is_repaired_when_its_message_comes_back()
    {
        await using var h = await StartAsync(settings: new Dictionary<string, string?> { ["Clerk:MaxRetryAttempts"] = "0" });
        using var hold = h.Clerk.HoldPatches(OrgId, MemberId);
        using var lockLost = new CancellationTokenSource();
        var t1 = Bytes(Plain("evt-t1", BaseTime, role: "org:admin"));

        // Worker A's PATCH reaches Clerk, then A is cancelled (its message lock is lost, its host shuts down).
        var workerA = h.Processor.ProcessAsync(t1, lockLost.Token);
        await hold.WhenHeldAsync();
        await lockLost.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => workerA);

        // Another host applies the newer change; then A's PATCH lands.
        Assert.Equal(Outcome.Applied, (await h.Processor.ProcessAsync(Bytes(Plain("evt-t2", BaseTime.AddMinutes(1), role: "org:member")))).Outcome);
        hold.Land();
        Assert.Equal("org:admin", h.Clerk.GetRole(OrgId, MemberId));

        // A's message is redelivered when its lock expires.
        var redelivered = await h.Processor.ProcessAsync(t1, new ProcessingContext(Redelivered: true));

        Assert.Equal(Outcome.Stale, redelivered.Outcome);
        Assert.Equal("org:member", h.Clerk.GetRole(OrgId, MemberId));
    }

    [Fact]
    public async Task A_second_patch_sent_by_the_in_process_retry_while_the_first_lands_last_is_caught_by_the_reconciler()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var h = await StartAsync(
            settings: new Dictionary<string, string?>
            {
                ["Clerk:AttemptTimeout"] = AttemptTimeout.ToString(),
                ["Clerk:MaxRetryAttempts"] = "1",
                ["Clerk:RetryBaseDelay"] = "00:00:00", // the retry follows the timed-out attempt at once (no timer to advance)
            },
            timeProvider: time);
        using var hold = h.Clerk.HoldPatches(OrgId, MemberId, count: 1);

        // Worker A: the first attempt of its PATCH times out (Clerk has it, unanswered), the retry is answered 200.
        var workerA = h.Processor.ProcessAsync(Bytes(Plain("evt-t1", BaseTime, role: "org:admin")));
        await hold.WhenHeldAsync();
        time.Advance(AttemptTimeout);
        var applied = await workerA;
        Assert.Equal(Outcome.Applied, applied.Outcome);
        Assert.Equal(1, h.Clerk.Requests.Count(r => r.Method == "GET")); // the ambiguous PATCH was read back at once

        // The newer change is applied; then the first attempt lands, after everything any message could verify.
        Assert.Equal(Outcome.Applied, (await h.Processor.ProcessAsync(Bytes(Plain("evt-t2", BaseTime.AddMinutes(1), role: "org:member")))).Outcome);
        hold.Land();
        Assert.Equal("org:admin", h.Clerk.GetRole(OrgId, MemberId));

        // The reconciler's pass is the net for exactly this: it finds and repairs it.
        var items = new List<RoleSync.Reconcile.ReconcileItem>();
        var summary = await Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.GetRequiredService<RoleSync.Reconcile.Reconciler>(h.Services)
            .RunAsync(RoleSync.Reconcile.ReconcileMode.Repair, null, item => { items.Add(item); return Task.CompletedTask; });

        Assert.Equal((1, true), (summary.Repaired, summary.Converged));
        Assert.Equal("org:member", h.Clerk.GetRole(OrgId, MemberId));
    }
}
