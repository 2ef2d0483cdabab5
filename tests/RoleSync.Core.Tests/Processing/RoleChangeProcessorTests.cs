using static RoleSync.Testing.Messages;
using static RoleSync.Testing.RoleSyncHarness;

namespace RoleSync.Core.Tests.Processing;

/// <summary>The processing policy end to end: message bytes in, Clerk sandbox changed (or not), outcome out.</summary>
public sealed class RoleChangeProcessorTests
{
    private static Task<ProcessingResult> Process(RoleSyncHarness h, string json) => h.Processor.ProcessAsync(Bytes(json));

    [Fact]
    public async Task A_valid_change_is_applied_in_either_form()
    {
        await using var h = await StartAsync();

        var plain = await Process(h, Plain("evt-1", BaseTime, role: "org:billing"));
        var cloud = await Process(h, CloudEvent("evt-2", BaseTime.AddMinutes(1), role: "org:admin"));

        Assert.Equal(Outcome.Applied, plain.Outcome);
        Assert.Equal(Outcome.Applied, cloud.Outcome);
        Assert.Equal("evt-2", cloud.EventId);
        Assert.Equal("org:admin", h.Clerk.GetRole(OrgId, MemberId));
        Assert.Equal(2, h.Clerk.PatchCount);
    }

    [Fact]
    public async Task An_invalid_message_is_rejected_without_touching_clerk()
    {
        await using var h = await StartAsync();

        var result = await Process(h, Plain("evt-1", role: "admin", userId: "user_../x"));

        Assert.Equal(Outcome.Rejected, result.Outcome);
        Assert.Equal(Reasons.InvalidMessage, result.Reason);
        Assert.Contains("role:", result.Detail);
        Assert.Contains("org:admin", result.Detail); // the hint
        Assert.Contains("userId:", result.Detail);
        Assert.Empty(h.Clerk.Requests);
    }

    [Theory]
    [InlineData("org_nope", MemberId, "org:admin", Reasons.MembershipNotFound)]
    [InlineData(OrgId, "user_nope", "org:admin", Reasons.MembershipNotFound)]
    [InlineData(OrgId, MemberId, "org:ghost", Reasons.RoleNotFound)]
    [InlineData(OrgId, AdminId, "org:member", Reasons.LastAdmin)]
    [InlineData(OrgId, "user_scim1", "org:admin", Reasons.ManagedByDirectory)]
    public async Task Clerk_refusals_are_rejected_with_their_reason(string org, string user, string role, string reason)
    {
        await using var h = await StartAsync();
        h.Clerk.AddMember(OrgId, "user_scim1", "org:member", managedByDirectory: true);

        var result = await Process(h, Plain("evt-1", organizationId: org, userId: user, role: role));

        Assert.Equal(Outcome.Rejected, result.Outcome);
        Assert.Equal(reason, result.Reason);
        Assert.NotNull(result.ClerkTraceId);
        Assert.Contains(result.ClerkTraceId!, result.Detail);
        var record = await h.Ledger.GetAsync(org, user);
        Assert.Equal("evt-1", record!.RejectedEventId);
        Assert.Equal(reason, record.RejectedReason);
    }

    [Fact]
    public async Task Clerk_outage_is_transient_and_the_change_is_applied_when_retried()
    {
        await using var h = await StartAsync(settings: new Dictionary<string, string?> { ["Clerk:MaxRetryAttempts"] = "1" });
        h.Clerk.FailNext(2, 503);

        var first = await Process(h, Plain("evt-1", role: "org:billing"));
        var retry = await Process(h, Plain("evt-1", role: "org:billing"));

        Assert.Equal(Outcome.Transient, first.Outcome);
        Assert.Equal(Reasons.ClerkUnavailable, first.Reason);
        Assert.Equal(Outcome.Applied, retry.Outcome);
        Assert.Equal("org:billing", h.Clerk.GetRole(OrgId, MemberId));
    }

    [Fact]
    public async Task A_stale_change_repairs_a_membership_whose_clerk_state_is_unknown()
    {
        await using var h = await StartAsync();
        await Process(h, Plain("evt-2", BaseTime.AddMinutes(1), role: "org:billing"));
        var record = (await h.Ledger.GetAsync(OrgId, MemberId))!;
        await h.Ledger.TryWriteAsync(record with { ClerkStateUnknown = true });
        h.Clerk.AddMember(OrgId, MemberId, "org:admin"); // a late PATCH of an older change landed

        var stale = await Process(h, Plain("evt-1", BaseTime, role: "org:admin"));

        Assert.Equal(Outcome.Stale, stale.Outcome);
        Assert.Equal("org:billing", h.Clerk.GetRole(OrgId, MemberId));
        Assert.False((await h.Ledger.GetAsync(OrgId, MemberId))!.ClerkStateUnknown);
    }

    [Fact]
    public async Task A_long_rate_limit_is_transient_with_retry_after()
    {
        await using var h = await StartAsync();
        h.Clerk.RateLimitNext(1, TimeSpan.FromMinutes(3));

        var result = await Process(h, Plain("evt-1"));

        Assert.Equal(Outcome.Transient, result.Outcome);
        Assert.Equal(Reasons.ClerkRateLimited, result.Reason);
        Assert.Equal(TimeSpan.FromMinutes(3), result.RetryAfter);
    }

    [Fact]
    public async Task A_wrong_key_is_transient_unauthorized()
    {
        await using var h = await StartAsync();
        h.Clerk.SetSecretKeys("sk_test_another_fake_key");

        var result = await Process(h, Plain("evt-1"));

        Assert.Equal(Outcome.Transient, result.Outcome);
        Assert.Equal(Reasons.ClerkUnauthorized, result.Reason);
    }

    [Fact]
    public async Task An_older_change_after_a_newer_one_is_stale_and_sends_nothing()
    {
        await using var h = await StartAsync();

        var newer = await Process(h, Plain("evt-2", BaseTime.AddMinutes(5), role: "org:admin"));
        var older = await Process(h, Plain("evt-1", BaseTime, role: "org:member"));

        Assert.Equal(Outcome.Applied, newer.Outcome);
        Assert.Equal(Outcome.Stale, older.Outcome);
        Assert.Contains("evt-2", older.Detail);
        Assert.Equal("org:admin", h.Clerk.GetRole(OrgId, MemberId));
        Assert.Equal(1, h.Clerk.PatchCount);
    }

    [Fact]
    public async Task Same_instant_is_ordered_by_event_id()
    {
        await using var h = await StartAsync();

        await Process(h, Plain("evt-b", BaseTime, role: "org:billing"));
        var tie = await Process(h, Plain("evt-a", BaseTime, role: "org:admin"));

        Assert.Equal(Outcome.Stale, tie.Outcome);
        Assert.Equal("org:billing", h.Clerk.GetRole(OrgId, MemberId));
    }

    [Fact]
    public async Task A_redelivered_applied_change_is_a_duplicate()
    {
        await using var h = await StartAsync();

        await Process(h, Plain("evt-1"));
        var again = await Process(h, Plain("evt-1"));

        Assert.Equal(Outcome.Duplicate, again.Outcome);
        Assert.Equal(1, h.Clerk.PatchCount);
    }

    [Fact]
    public async Task A_rejected_change_stays_newest_and_blocks_older_ones_but_can_be_replayed_after_a_fix()
    {
        await using var h = await StartAsync();

        var rejected = await Process(h, Plain("evt-2", BaseTime.AddMinutes(5), role: "org:auditor"));
        var older = await Process(h, Plain("evt-1", BaseTime, role: "org:billing"));
        h.Clerk.AddRole(OrgId, "org:auditor"); // the operator creates the role, then replays
        var replay = await Process(h, Plain("evt-2", BaseTime.AddMinutes(5), role: "org:auditor"));

        Assert.Equal(Reasons.RoleNotFound, rejected.Reason);
        Assert.Equal(Outcome.Stale, older.Outcome);
        Assert.Equal(Outcome.Applied, replay.Outcome);
        Assert.Equal("org:auditor", h.Clerk.GetRole(OrgId, MemberId));
        var record = (await h.Ledger.GetAsync(OrgId, MemberId))!;
        Assert.True(record.NewestApplied);
        Assert.Null(record.RejectedEventId); // applying it clears its rejection (issue 12); the membership history keeps it
        Assert.Null(record.RejectedReason);
    }

    [Fact]
    public async Task A_far_future_change_is_invalid_and_cannot_freeze_the_membership()
    {
        await using var h = await StartAsync();

        var future = await Process(h, Plain("evt-future", DateTimeOffset.UtcNow.AddYears(50), role: "org:billing"));
        var normal = await Process(h, Plain("evt-now", DateTimeOffset.UtcNow, role: "org:admin"));

        Assert.Equal(Reasons.InvalidMessage, future.Reason);
        Assert.Contains("in the future", future.Detail);
        Assert.Equal(Outcome.Applied, normal.Outcome);
        Assert.Equal("evt-now", (await h.Ledger.GetAsync(OrgId, MemberId))!.NewestEventId);
    }

    [Fact]
    public async Task Happy_path_costs_one_read_two_writes_the_event_identity_and_one_clerk_call()
    {
        var ledger = new CountingLedger(new InMemoryMembershipLedger());
        await using var h = await StartAsync(ledger: ledger);

        var result = await Process(h, Plain("evt-1"));

        Assert.Equal(Outcome.Applied, result.Outcome);
        Assert.Equal((1, 2, 1), (ledger.Reads, ledger.Writes, ledger.Events));
        Assert.Single(h.Clerk.Requests); // the PATCH; no read-back on the happy path
        Assert.Equal(1, h.Clerk.PatchCount);
    }

    [Fact]
    public async Task A_failing_ledger_is_transient_and_never_applied_without_a_record()
    {
        await using var h = await StartAsync(ledger: new ThrowingLedger());

        var result = await Process(h, Plain("evt-1"));

        Assert.Equal(Outcome.Transient, result.Outcome);
        Assert.Equal(Reasons.LedgerUnavailable, result.Reason);
        Assert.Empty(h.Clerk.Requests);
    }

    [Fact]
    public async Task An_unreachable_azurite_is_transient()
    {
        var options = new Azure.Data.Tables.TableClientOptions();
        options.Retry.MaxRetries = 0;
        var ledger = new TableMembershipLedger(new Azure.Data.Tables.TableClient(
            Azurite.UnreachableConnectionString, "Unreachable", options: options));
        await using var h = await StartAsync(ledger: ledger);

        var result = await Process(h, Plain("evt-1"));

        Assert.Equal(Outcome.Transient, result.Outcome);
        Assert.Equal(Reasons.LedgerUnavailable, result.Reason);
        Assert.Empty(h.Clerk.Requests);
    }

    [Fact]
    public async Task A_ledger_failing_after_clerk_applied_is_transient_and_the_retry_completes_it()
    {
        var ledger = new FailingWriteLedger(new InMemoryMembershipLedger(), failOnWrite: 2);
        await using var h = await StartAsync(ledger: ledger);

        var first = await Process(h, Plain("evt-1", role: "org:billing"));
        var retry = await Process(h, Plain("evt-1", role: "org:billing"));

        Assert.Equal(Outcome.Transient, first.Outcome);
        Assert.Equal(Outcome.Applied, retry.Outcome);
        Assert.True((await ledger.GetAsync(OrgId, MemberId))!.NewestApplied);
    }

    [Fact]
    public async Task A_worker_whose_patch_landed_after_a_newer_one_converges_to_the_newest()
    {
        // Worker A records evt-1 as newest; before A marks it applied, worker B processes the newer evt-2 completely.
        // A's PATCH may have landed after B's, so A must find the newer change and apply it again.
        var inner = new InMemoryMembershipLedger();
        RoleSyncHarness? h = null;
        var ledger = new InterceptingLedger(inner, beforeWrite: async (record, n) =>
        {
            if (n == 2 && record.NewestEventId == "evt-1" && record.AppliedEventId == "evt-1")
            {
                var b = await h!.Processor.ProcessAsync(Bytes(Plain("evt-2", BaseTime.AddMinutes(1), role: "org:billing")));
                Assert.Equal(Outcome.Applied, b.Outcome);
                h.Clerk.AddMember(OrgId, MemberId, "org:admin"); // as if A's PATCH (evt-1: org:admin) landed last
            }
        });
        h = await StartAsync(ledger: ledger);
        await using var _ = h;

        var a = await h.Processor.ProcessAsync(Bytes(Plain("evt-1", BaseTime, role: "org:admin")));

        Assert.Equal(Outcome.Applied, a.Outcome);
        Assert.Equal("org:billing", h.Clerk.GetRole(OrgId, MemberId));
        var record = (await inner.GetAsync(OrgId, MemberId))!;
        Assert.Equal("evt-2", record.NewestEventId);
        Assert.True(record.NewestApplied);
    }

    [Fact]
    public async Task A_failed_convergence_marks_clerk_state_unknown_and_the_retry_repairs_it()
    {
        var inner = new InMemoryMembershipLedger();
        RoleSyncHarness? h = null;
        var ledger = new InterceptingLedger(inner, beforeWrite: async (record, n) =>
        {
            if (n == 2 && record.NewestEventId == "evt-1" && record.AppliedEventId == "evt-1")
            {
                await h!.Processor.ProcessAsync(Bytes(Plain("evt-2", BaseTime.AddMinutes(1), role: "org:billing")));
                h.Clerk.AddMember(OrgId, MemberId, "org:admin"); // A's PATCH (evt-1) landed after B's
                h.Clerk.FailNext(1, 503);                        // and A's repair PATCH fails
            }
        });
        h = await StartAsync(ledger: ledger, settings: new Dictionary<string, string?> { ["Clerk:MaxRetryAttempts"] = "0" });
        await using var _ = h;

        var a = await h.Processor.ProcessAsync(Bytes(Plain("evt-1", BaseTime, role: "org:admin")));
        var marked = (await inner.GetAsync(OrgId, MemberId))!;
        var retry = await h.Processor.ProcessAsync(Bytes(Plain("evt-1", BaseTime, role: "org:admin")));

        Assert.Equal(Outcome.Transient, a.Outcome);
        Assert.True(marked.ClerkStateUnknown);
        Assert.Equal(Outcome.Stale, retry.Outcome);
        Assert.Equal("org:billing", h.Clerk.GetRole(OrgId, MemberId));
        Assert.False((await inner.GetAsync(OrgId, MemberId))!.ClerkStateUnknown);
    }

    [Fact]
    public async Task Dry_run_reads_and_never_patches()
    {
        await using var h = await StartAsync();
        await Process(h, Plain("evt-9", BaseTime.AddMinutes(10), userId: AdminId, role: "org:admin"));
        h.Clerk.ClearRequests();

        var would = await h.Processor.PlanAsync(Parse(Plain("evt-1", userId: MemberId, role: "org:admin")));
        var same = await h.Processor.PlanAsync(Parse(Plain("evt-2", userId: MemberId, role: "org:member")));
        var missing = await h.Processor.PlanAsync(Parse(Plain("evt-3", userId: "user_nope")));
        var stale = await h.Processor.PlanAsync(Parse(Plain("evt-4", BaseTime, userId: AdminId, role: "org:member")));

        Assert.Equal(Outcome.WouldApply, would.Outcome);
        Assert.Equal(Outcome.Unchanged, same.Outcome);
        Assert.Equal((Outcome.NotFound, Reasons.MembershipNotFound), (missing.Outcome, missing.Reason));
        Assert.Equal(Outcome.Stale, stale.Outcome);
        Assert.Equal(0, h.Clerk.PatchCount);
        Assert.Equal("org:member", h.Clerk.GetRole(OrgId, MemberId));
    }

    private static RoleChange Parse(string json) => RoleChangeParser.Parse(Bytes(json).Span, DateTimeOffset.UtcNow).Change!;

    private sealed class CountingLedger(IMembershipLedger inner) : IMembershipLedger
    {
        public int Reads, Writes;

        public Task<MembershipRecord?> GetAsync(string o, string u, CancellationToken ct = default) { Interlocked.Increment(ref Reads); return inner.GetAsync(o, u, ct); }

        public int Events;

        public Task<MembershipRecord?> TryWriteAsync(MembershipRecord r, CancellationToken ct = default) { Interlocked.Increment(ref Writes); return inner.TryWriteAsync(r, ct); }

        public Task<string?> RecordEventAsync(string e, string c, CancellationToken ct = default) { Interlocked.Increment(ref Events); return inner.RecordEventAsync(e, c, ct); }

        public IAsyncEnumerable<MembershipRecord> ListAsync(string? o = null, CancellationToken ct = default) => inner.ListAsync(o, ct);
    }

    private sealed class ThrowingLedger : IMembershipLedger
    {
        public Task<MembershipRecord?> GetAsync(string o, string u, CancellationToken ct = default) => throw new IOException("storage is down");

        public Task<MembershipRecord?> TryWriteAsync(MembershipRecord r, CancellationToken ct = default) => throw new IOException("storage is down");

        public Task<string?> RecordEventAsync(string e, string c, CancellationToken ct = default) => throw new IOException("storage is down");

        public IAsyncEnumerable<MembershipRecord> ListAsync(string? o = null, CancellationToken ct = default) => throw new IOException("storage is down");
    }

    private sealed class FailingWriteLedger(IMembershipLedger inner, int failOnWrite) : IMembershipLedger
    {
        private int _writes;

        public Task<MembershipRecord?> GetAsync(string o, string u, CancellationToken ct = default) => inner.GetAsync(o, u, ct);

        public Task<MembershipRecord?> TryWriteAsync(MembershipRecord r, CancellationToken ct = default) =>
            Interlocked.Increment(ref _writes) == failOnWrite ? throw new IOException("write failed") : inner.TryWriteAsync(r, ct);

        public Task<string?> RecordEventAsync(string e, string c, CancellationToken ct = default) => inner.RecordEventAsync(e, c, ct);

        public IAsyncEnumerable<MembershipRecord> ListAsync(string? o = null, CancellationToken ct = default) => inner.ListAsync(o, ct);
    }

    private sealed class InterceptingLedger(IMembershipLedger inner, Func<MembershipRecord, int, Task> beforeWrite) : IMembershipLedger
    {
        private int _writes;

        public Task<MembershipRecord?> GetAsync(string o, string u, CancellationToken ct = default) => inner.GetAsync(o, u, ct);

        public async Task<MembershipRecord?> TryWriteAsync(MembershipRecord r, CancellationToken ct = default)
        {
            await beforeWrite(r, Interlocked.Increment(ref _writes));
            return await inner.TryWriteAsync(r, ct);
        }

        public Task<string?> RecordEventAsync(string e, string c, CancellationToken ct = default) => inner.RecordEventAsync(e, c, ct);

        public IAsyncEnumerable<MembershipRecord> ListAsync(string? o = null, CancellationToken ct = default) => inner.ListAsync(o, ct);
    }
}
