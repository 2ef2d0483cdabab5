using RoleSync.History;
using RoleSync.Reconcile;
using static RoleSync.Testing.Messages;
using static RoleSync.Testing.RoleSyncHarness;

namespace RoleSync.Core.Tests.History;

/// <summary>
/// Every outcome's history entry, written by the real processor (and reconciler) against the Clerk sandbox, with the
/// ledger and the history in Azurite tables.
/// </summary>
public sealed class HistoryOutcomeTests
{
    private static readonly ProcessingContext ByAlice = new(EntryPoint: EntryPoint.Operator, Principal: "alice@contoso.com");

    private static async Task<RoleSyncHarness> StartAsync()
    {
        var connection = await Azurite.GetConnectionStringAsync();
        return await RoleSyncHarness.StartAsync(
            ledger: new TableMembershipLedger(new TableClient(connection, Azurite.NewTableName("hledger"))),
            history: new TableMembershipHistory(new TableClient(connection, Azurite.NewTableName("hist"))));
    }

    private static async Task<IReadOnlyList<MembershipHistoryEntry>> EntriesAsync(RoleSyncHarness h, string userId = MemberId) =>
        (await h.History.ListAsync(OrgId, userId, 500)).Entries;

    [Fact]
    public async Task Applied_records_the_change_its_entry_point_and_principal()
    {
        await using var h = await StartAsync();

        await h.Processor.ProcessAsync(Bytes(Plain("evt-1", BaseTime, role: "org:billing", reason: "promotion")), ByAlice);

        var entry = Assert.Single(await EntriesAsync(h));
        Assert.Equal((OrgId, MemberId, "evt-1", "org:billing", "workday", "promotion"), (entry.OrganizationId, entry.UserId, entry.EventId, entry.Role, entry.Source, entry.ChangeReason));
        Assert.Equal((HistoryOutcome.Applied, EntryPoint.Operator, "alice@contoso.com", 1), (entry.Outcome, entry.EntryPoint, entry.Principal, entry.Attempt));
        Assert.Equal(BaseTime, entry.OccurredAt);
        Assert.Equal(BaseTime, entry.EffectiveAt);
    }

    [Fact]
    public async Task Stale_names_the_change_that_superseded_it_and_duplicate_is_recorded()
    {
        await using var h = await StartAsync();
        await h.Processor.ProcessAsync(Bytes(Plain("evt-2", BaseTime.AddMinutes(1), role: "org:billing")));

        await h.Processor.ProcessAsync(Bytes(Plain("evt-1", BaseTime, role: "org:admin")));
        await h.Processor.ProcessAsync(Bytes(Plain("evt-2", BaseTime.AddMinutes(1), role: "org:billing")));

        var entries = await EntriesAsync(h);
        Assert.Equal(["evt-2", "evt-2", "evt-1"], entries.Select(e => e.EventId)); // newest first, by effective time
        Assert.Equal([HistoryOutcome.Applied, HistoryOutcome.Duplicate], entries.Take(2).Select(e => e.Outcome).Order());
        var stale = entries[2];
        Assert.Equal((HistoryOutcome.Stale, "evt-2", EntryPoint.Queue, (string?)null), (stale.Outcome, stale.SupersededBy, stale.EntryPoint, stale.Principal));
    }

    [Fact]
    public async Task Rejected_records_the_reason()
    {
        await using var h = await StartAsync();

        await h.Processor.ProcessAsync(Bytes(Plain("evt-1", BaseTime, role: "org:ghost")));

        var entry = Assert.Single(await EntriesAsync(h));
        Assert.Equal((HistoryOutcome.Rejected, Reasons.RoleNotFound), (entry.Outcome, entry.Reason));
        Assert.Contains("org:ghost", entry.Detail);
    }

    [Fact]
    public async Task A_transient_failure_is_retried_per_attempt_and_rejected_on_the_last()
    {
        await using var h = await StartAsync();
        h.Clerk.FailNext(8, 503);

        await h.Processor.ProcessAsync(Bytes(Plain("evt-1", BaseTime)), new ProcessingContext(ReceivedAt: BaseTime, Attempt: 1));
        await h.Processor.ProcessAsync(Bytes(Plain("evt-1", BaseTime)), new ProcessingContext(ReceivedAt: BaseTime, Redelivered: true, Attempt: 8, LastAttempt: true));

        var entries = await EntriesAsync(h);
        Assert.Equal(2, entries.Count);
        var retried = Assert.Single(entries, e => e.Attempt == 1);
        Assert.Equal((HistoryOutcome.Retried, Reasons.ClerkUnavailable), (retried.Outcome, retried.Reason));
        var last = Assert.Single(entries, e => e.Attempt == 8);
        Assert.Equal((HistoryOutcome.Rejected, Reasons.RetriesExhausted), (last.Outcome, last.Reason));
    }

    [Fact]
    public async Task A_redelivered_stale_change_whose_verification_repairs_Clerk_is_repaired_by_verification()
    {
        await using var h = await StartAsync();
        await h.Processor.ProcessAsync(Bytes(Plain("evt-2", BaseTime.AddMinutes(1), role: "org:billing")));
        h.Clerk.AddMember(OrgId, MemberId, "org:admin"); // someone changed it in the dashboard

        await h.Processor.ProcessAsync(Bytes(Plain("evt-1", BaseTime, role: "org:member")), new ProcessingContext(Redelivered: true));

        var entry = (await EntriesAsync(h)).Single(e => e.EventId == "evt-1");
        Assert.Equal(HistoryOutcome.RepairedByVerification, entry.Outcome);
        Assert.Contains("repaired to org:billing", entry.Detail);
        Assert.Equal("org:billing", h.Clerk.GetRole(OrgId, MemberId));
    }

    [Fact]
    public async Task A_reconciler_repair_is_recorded_with_entry_point_reconcile()
    {
        await using var h = await StartAsync();
        await h.Processor.ProcessAsync(Bytes(Plain("evt-1", BaseTime, role: "org:billing")));
        h.Clerk.AddMember(OrgId, MemberId, "org:admin");

        await h.Services.GetRequiredService<Reconciler>().RunAsync(ReconcileMode.Repair, OrgId, _ => Task.CompletedTask);

        var entries = await EntriesAsync(h);
        var repair = entries[0];
        Assert.Equal((HistoryOutcome.RepairedByReconcile, EntryPoint.Reconcile, "evt-1", "org:billing"), (repair.Outcome, repair.EntryPoint, repair.EventId, repair.Role));
        Assert.Contains("Clerk held org:admin", repair.Detail);
        Assert.Equal(HistoryOutcome.Applied, entries[1].Outcome);
    }

    [Fact]
    public async Task A_redelivery_with_the_same_outcome_does_not_add_an_entry()
    {
        await using var h = await StartAsync();
        await h.Processor.ProcessAsync(Bytes(Plain("evt-2", BaseTime.AddMinutes(1), role: "org:billing")));
        var redelivered = new ProcessingContext(ReceivedAt: BaseTime.AddHours(1), Redelivered: true);

        await h.Processor.ProcessAsync(Bytes(Plain("evt-1", BaseTime)), redelivered);
        await h.Processor.ProcessAsync(Bytes(Plain("evt-1", BaseTime)), redelivered);
        await h.Processor.ProcessAsync(Bytes(Plain("evt-2", BaseTime.AddMinutes(1), role: "org:billing")), redelivered);
        await h.Processor.ProcessAsync(Bytes(Plain("evt-2", BaseTime.AddMinutes(1), role: "org:billing")), redelivered);

        var entries = await EntriesAsync(h);
        Assert.Equal(1, entries.Count(e => e.EventId == "evt-1"));
        Assert.Equal([HistoryOutcome.Applied, HistoryOutcome.Duplicate], entries.Where(e => e.EventId == "evt-2").Select(e => e.Outcome).Order());
    }

    [Fact]
    public async Task An_invalid_message_has_no_membership_and_no_entry()
    {
        await using var h = await StartAsync();

        await h.Processor.ProcessAsync(Bytes("{\"eventId\":\"e\",\"role\":\"admin\"}"));

        Assert.Empty(await EntriesAsync(h));
    }

    [Fact]
    public async Task A_failing_history_does_not_change_the_outcome_and_is_counted()
    {
        await using var h = await RoleSyncHarness.StartAsync(history: new TableMembershipHistory(new TableClient(Azurite.UnreachableConnectionString, "histdown", new TableClientOptions { Retry = { MaxRetries = 0 } })));
        using var failures = new Microsoft.Extensions.Diagnostics.Metrics.Testing.MetricCollector<long>(
            h.Services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>(), RoleSyncTelemetry.Name, "rolesync.history.write_failures");

        var result = await h.Processor.ProcessAsync(Bytes(Plain("evt-1", BaseTime, role: "org:billing")));

        Assert.Equal(Outcome.Applied, result.Outcome);
        Assert.Equal("org:billing", h.Clerk.GetRole(OrgId, MemberId));
        Assert.Equal(1, Assert.Single(failures.GetMeasurementSnapshot()).Value);
        Assert.Contains(h.Logs.GetSnapshot(), r => r.Id.Name == "HistoryWriteFailed");
    }
}
