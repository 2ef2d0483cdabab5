using static RoleSync.Testing.Messages;
using static RoleSync.Testing.RoleSyncHarness;

namespace RoleSync.Core.Tests.Processing;

/// <summary>
/// Issue 12 §1 through the real processor, the Clerk sandbox and an Azurite ledger: Clerk ends on the desired role
/// when a write is lost, a PATCH lands behind a newer one, a newest change is rejected while Clerk's state is
/// unknown, an event id is reused, or a producer's clock runs ahead.
/// </summary>
public sealed class VerificationTests
{
    private static async Task<IMembershipLedger> NewLedgerAsync() =>
        new TableMembershipLedger(new TableClient(await Azurite.GetConnectionStringAsync(), Azurite.NewTableName("verify")));

    /// <summary>A second worker on the same Clerk and ledger (another host), sharing the harness's client.</summary>
    private static RoleChangeProcessor SecondWorker(RoleSyncHarness h, IMembershipLedger ledger) =>
        new(h.ClerkClient, ledger, new MembershipConverger(h.ClerkClient, ledger, TimeProvider.System), Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.GetRequiredService<RoleSync.History.MembershipHistoryRecorder>(h.Services), TimeProvider.System);

    [Fact]
    public async Task A_lost_mark_applied_write_after_a_patch_that_landed_behind_a_newer_one_is_repaired_on_the_retry()
    {
        var ledger = await NewLedgerAsync();
        var b = default(RoleChangeProcessor);
        int aWrites = 0;
        // Worker A: after its claim is stored, worker B processes the newer change to the end; then A's PATCH lands
        // (after B's) and A's mark-applied write fails with a 503 (not a lost race).
        var aLedger = new HookedLedger(ledger, after: async (record, _) =>
        {
            if (Interlocked.Increment(ref aWrites) == 1)
            {
                var newer = await b!.ProcessAsync(Bytes(Plain("evt-2", BaseTime.AddMinutes(1), role: "org:member")));
                Assert.Equal(Outcome.Applied, newer.Outcome);
            }
        }, failWrite: n => n == 2);
        await using var h = await StartAsync(ledger: aLedger);
        b = SecondWorker(h, ledger);

        var first = await h.Processor.ProcessAsync(Bytes(Plain("evt-1", BaseTime, role: "org:billing")));
        Assert.Equal((Outcome.Transient, Reasons.LedgerUnavailable), (first.Outcome, first.Reason));
        Assert.Equal("org:billing", h.Clerk.GetRole(OrgId, MemberId)); // A's PATCH landed last: the demotion is undone

        var retry = await h.Processor.ProcessAsync(Bytes(Plain("evt-1", BaseTime, role: "org:billing")), new ProcessingContext(Redelivered: true));

        Assert.Equal(Outcome.Stale, retry.Outcome);
        Assert.Contains("repaired to org:member", retry.Detail);
        Assert.Equal("org:member", h.Clerk.GetRole(OrgId, MemberId));
        var record = (await ledger.GetAsync(OrgId, MemberId))!;
        Assert.Equal((1, false), (record.RepairCount, record.ClerkStateUnknown));
    }

    [Fact]
    public async Task A_first_delivery_that_comes_out_stale_does_not_read_clerk()
    {
        await using var h = await StartAsync();
        await h.Processor.ProcessAsync(Bytes(Plain("evt-2", BaseTime.AddMinutes(1), role: "org:member")));
        h.Clerk.ClearRequests();

        var stale = await h.Processor.ProcessAsync(Bytes(Plain("evt-1", BaseTime, role: "org:billing")));

        Assert.Equal(Outcome.Stale, stale.Outcome);
        Assert.Empty(h.Clerk.Requests);
    }

    [Fact]
    public async Task A_redelivered_stale_message_reads_clerk_back_and_leaves_a_correct_role_alone()
    {
        await using var h = await StartAsync();
        await h.Processor.ProcessAsync(Bytes(Plain("evt-2", BaseTime.AddMinutes(1), role: "org:member")));
        h.Clerk.ClearRequests();

        var stale = await h.Processor.ProcessAsync(Bytes(Plain("evt-1", BaseTime, role: "org:billing")), new ProcessingContext(Redelivered: true));

        Assert.Equal(Outcome.Stale, stale.Outcome);
        Assert.Equal(["GET"], h.Clerk.Requests.Select(r => r.Method));
        Assert.DoesNotContain("repaired", stale.Detail);
    }

    [Fact]
    public async Task With_clerk_state_unknown_a_rejected_newest_change_leaves_clerk_on_the_last_accepted_role()
    {
        var ledger = await NewLedgerAsync();
        await using var h = await StartAsync(ledger: ledger);
        Assert.Equal(Outcome.Applied, (await h.Processor.ProcessAsync(Bytes(Plain("evt-1", BaseTime, role: "org:billing")))).Outcome);
        // A late PATCH of some earlier attempt lands (Clerk: org:admin) and a worker saw its answer go missing.
        h.Clerk.RemoveMember(OrgId, MemberId);
        h.Clerk.AddMember(OrgId, MemberId, "org:admin");
        var record = (await ledger.GetAsync(OrgId, MemberId))!;
        Assert.NotNull(await ledger.TryWriteAsync(record with { ClerkStateUnknown = true }));

        var rejected = await h.Processor.ProcessAsync(Bytes(Plain("evt-2", BaseTime.AddMinutes(1), role: "org:deleted")));

        Assert.Equal((Outcome.Rejected, Reasons.RoleNotFound), (rejected.Outcome, rejected.Reason));
        Assert.Equal("org:billing", h.Clerk.GetRole(OrgId, MemberId));
        Assert.Contains("repaired to org:billing", rejected.Detail);
        var after = (await ledger.GetAsync(OrgId, MemberId))!;
        Assert.Equal(("evt-2", "evt-1", false), (after.RejectedEventId, after.AppliedEventId, after.ClerkStateUnknown));
    }

    [Theory]
    [InlineData("org:member", null, null)]                                  // another role
    [InlineData("org:admin", "2026-11-28T12:00:01Z", null)]                  // another occurredAt
    [InlineData("org:admin", null, "user_3k9pq4Jtm2RS8uLv6GHOgbMLFpW")]      // another user
    public async Task The_same_event_id_with_other_content_is_rejected_as_reused_with_both_versions(string role, string? occurredAt, string? userId)
    {
        await using var h = await StartAsync();
        h.Clerk.AddMember(OrgId, "user_3k9pq4Jtm2RS8uLv6GHOgbMLFpW", "org:member");
        Assert.Equal(Outcome.Applied, (await h.Processor.ProcessAsync(Bytes(Plain("evt-1", BaseTime, role: "org:admin")))).Outcome);
        h.Clerk.ClearRequests();

        var again = await h.Processor.ProcessAsync(Bytes(Plain("evt-1", occurredAt is null ? BaseTime : DateTimeOffset.Parse(occurredAt, System.Globalization.CultureInfo.InvariantCulture),
            userId: userId ?? MemberId, role: role)));

        Assert.Equal((Outcome.Rejected, Reasons.EventIdReused), (again.Outcome, again.Reason));
        Assert.Contains($"{OrgId}/{MemberId} org:admin", again.Detail);   // the first version
        Assert.Contains($"{OrgId}/{userId ?? MemberId} {role}", again.Detail); // and this one
        Assert.Empty(h.Clerk.Requests);
        Assert.Equal("org:admin", h.Clerk.GetRole(OrgId, MemberId));
    }

    [Fact]
    public async Task The_same_event_with_the_same_content_is_still_a_duplicate()
    {
        await using var h = await StartAsync();
        await h.Processor.ProcessAsync(Bytes(Plain("evt-1", BaseTime, role: "org:admin")));

        var again = await h.Processor.ProcessAsync(Bytes(Plain("evt-1", BaseTime, role: "org:admin")));

        Assert.Equal(Outcome.Duplicate, again.Outcome);
    }

    [Fact]
    public async Task A_change_stamped_in_the_future_is_ordered_by_when_it_arrived_and_does_not_suppress_real_changes()
    {
        await using var h = await StartAsync();
        var now = DateTimeOffset.UtcNow;

        // A producer whose clock runs 4 minutes ahead (within the parser's 5-minute tolerance)...
        var ahead = await h.Processor.ProcessAsync(Bytes(Plain("evt-ahead", now.AddMinutes(4), role: "org:billing")), new ProcessingContext(ReceivedAt: now));
        // ...then a real change one minute later, stamped correctly.
        var real = await h.Processor.ProcessAsync(Bytes(Plain("evt-real", now.AddMinutes(1), role: "org:member")), new ProcessingContext(ReceivedAt: now.AddMinutes(1)));

        Assert.Equal(Outcome.Applied, ahead.Outcome);
        Assert.Equal(Outcome.Applied, real.Outcome);
        Assert.Equal("org:member", h.Clerk.GetRole(OrgId, MemberId));
        var record = (await h.Ledger.GetAsync(OrgId, MemberId))!;
        Assert.Equal(("evt-real", now.AddMinutes(1)), (record.NewestEventId, record.NewestOrderAt));
    }

    /// <summary>A ledger whose writes call <paramref name="after"/> once stored, and fail (a 503, not a lost race) when <paramref name="failWrite"/> says so.</summary>
    private sealed class HookedLedger(IMembershipLedger inner, Func<MembershipRecord, int, Task> after, Func<int, bool> failWrite) : IMembershipLedger
    {
        private int _writes;

        public Task<MembershipRecord?> GetAsync(string o, string u, CancellationToken ct = default) => inner.GetAsync(o, u, ct);

        public async Task<MembershipRecord?> TryWriteAsync(MembershipRecord r, CancellationToken ct = default)
        {
            int n = Interlocked.Increment(ref _writes);
            if (failWrite(n))
            {
                throw new Azure.RequestFailedException(503, "The server is busy.");
            }
            var stored = await inner.TryWriteAsync(r, ct);
            await after(r, n);
            return stored;
        }

        public Task<string?> RecordEventAsync(string e, string c, CancellationToken ct = default) => inner.RecordEventAsync(e, c, ct);

        public IAsyncEnumerable<MembershipRecord> ListAsync(string? o = null, CancellationToken ct = default) => inner.ListAsync(o, ct);
    }
}
