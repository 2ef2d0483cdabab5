using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Testing;
using static RoleSync.Testing.Messages;
using static RoleSync.Testing.RoleSyncHarness;

namespace RoleSync.Core.Tests.Replay;

/// <summary>Snapshot replay by request id (<see cref="IdempotentReplayer"/>) and lock handling (<see cref="DeadLetterReplayer"/>).</summary>
public sealed class SnapshotReplayTests
{
    private readonly FakeTimeProvider _clock = new(FakeDeadLetterQueue.EnqueuedAt.AddDays(1));
    private readonly FakeDeadLetterQueue _queue;
    private readonly InMemoryOperatorRequestStore _store = new();
    private readonly FakeLogger<DeadLetterReplayer> _log = new();

    public SnapshotReplayTests() => _queue = new FakeDeadLetterQueue { Clock = _clock };

    private DeadLetterReplayer Inner(IMembershipLedger? ledger = null) =>
        new(_queue, ledger ?? new InMemoryMembershipLedger(), TestSigning.Signer(), _clock, _log);

    private IdempotentReplayer Replayer(IMembershipLedger? ledger = null) =>
        new(Inner(ledger), _store, _clock, NullLogger<IdempotentReplayer>.Instance);

    private static ReplaySelection Snapshot(string reason, long maxSequenceNumber, string? organizationId = null, int max = 100) =>
        new(null, reason, organizationId, max) { MaxSequenceNumber = maxSequenceNumber };

    private void AddMany(int count, string reason, string prefix, string organizationId = OrgId)
    {
        for (int i = 0; i < count; i++)
        {
            _queue.Add(Plain($"{prefix}-{i}", organizationId: organizationId, userId: $"user_{prefix}{i}"), reason, messageId: $"{prefix}-{i}");
        }
    }

    [Fact]
    public async Task A_snapshot_replays_only_the_group_up_to_its_highest_sequence_number_and_leaves_later_arrivals()
    {
        AddMany(3, "MembershipNotFound", "old");
        _queue.Add(Plain("other-role"), "RoleNotFound", messageId: "other-role");
        _queue.Add(Plain("other-org", organizationId: "org_other"), "MembershipNotFound", messageId: "other-org");
        var groups = await new DeadLetterGrouper(_queue, _clock).GroupAsync();
        var seen = groups.Groups.Single(g => g.Reason == "MembershipNotFound").Organizations.Single(o => o.OrganizationId == OrgId).MaxSequenceNumber;
        AddMany(2, "MembershipNotFound", "late"); // arrive after the operator looked

        var result = await Replayer().ReplayAsync("req-1", Snapshot("MembershipNotFound", seen, OrgId), dryRun: false, caller: "alice");

        Assert.Null(result.Conflict);
        Assert.Equal(["old-0~replay1", "old-1~replay2", "old-2~replay3"], _queue.Sent.Select(m => m.MessageId));
        Assert.Equal((3, false, "req-1"), (result.Report!.Replayed, result.Report.More, result.Report.RequestId));
        Assert.Equal([4L, 5, 6, 7], _queue.Remaining);
        Assert.Empty(_queue.Locked);
    }

    [Fact]
    public async Task The_same_request_sent_twice_sends_once_and_reports_what_the_first_call_replayed()
    {
        AddMany(2, "MembershipNotFound", "a");

        var first = await Replayer().ReplayAsync("req-1", Snapshot("MembershipNotFound", 2), dryRun: false, caller: "alice");
        var again = await Replayer().ReplayAsync("req-1", Snapshot("MembershipNotFound", 2), dryRun: false, caller: "alice");

        Assert.Equal(2, first.Report!.Replayed);
        Assert.Equal(2, _queue.Sent.Count);
        Assert.Equal((0, 2, (ReplayMode?)null), (again.Report!.Replayed, again.Report.AlreadyReplayed, again.Report.Mode));
        Assert.All(again.Report.Items, i => Assert.Equal(ReplayStatus.AlreadyReplayed, i.Status));
        Assert.Equal(["a-0~replay1", "a-1~replay2"], again.Report.Items.Select(i => i.NewMessageId));
    }

    [Fact]
    public async Task A_repeat_sends_nothing_twice_even_when_a_replayed_dead_letter_is_back_under_its_old_sequence_number()
    {
        var seq = _queue.Add(Plain("evt-1"), "MembershipNotFound", messageId: "evt-1");
        await _store.AddAsync(new OperatorRequestRecord(IdempotentReplayer.KeyOf("req-1"), Snapshot("MembershipNotFound", seq).Describe(), "alice", _clock.GetUtcNow()));
        await _store.AddReplayedAsync(IdempotentReplayer.KeyOf("req-1"), [new ReplayedDeadLetter(seq, "evt-1", $"evt-1~replay{seq}", "evt-1")]);

        var again = await Replayer().ReplayAsync("req-1", Snapshot("MembershipNotFound", seq), dryRun: false, caller: "alice");

        Assert.Empty(_queue.Sent); // the record wins even though the dead letter (a completion that failed) is still there
        Assert.Equal(ReplayStatus.AlreadyReplayed, Assert.Single(again.Report!.Items).Status);
        Assert.Equal([seq], _queue.Remaining);
        Assert.Empty(_queue.Locked);
    }

    [Fact]
    public async Task A_request_that_says_more_continues_where_it_stopped_when_sent_again()
    {
        AddMany(5, "MembershipNotFound", "a");

        var first = await Replayer().ReplayAsync("req-1", Snapshot("MembershipNotFound", 5, max: 2), dryRun: false, caller: "alice");
        var second = await Replayer().ReplayAsync("req-1", Snapshot("MembershipNotFound", 5, max: 3), dryRun: false, caller: "alice");

        Assert.True(first.Report!.More);
        Assert.Equal((3, 2, false), (second.Report!.Replayed, second.Report.AlreadyReplayed, second.Report.More));
        Assert.Equal(5, _queue.Sent.Select(m => m.MessageId).Distinct().Count());
        Assert.Empty(_queue.Remaining);
    }

    [Fact]
    public async Task The_same_request_id_with_another_selection_is_a_conflict_and_sends_nothing()
    {
        AddMany(2, "MembershipNotFound", "a");
        _queue.Add(Plain("b"), "RoleNotFound", messageId: "b");
        await Replayer().ReplayAsync("req-1", Snapshot("MembershipNotFound", 1), dryRun: false, caller: "alice");

        var conflict = await Replayer().ReplayAsync("req-1", Snapshot("RoleNotFound", 3), dryRun: false, caller: "bob");
        var widened = await Replayer().ReplayAsync("req-1", Snapshot("MembershipNotFound", 2), dryRun: false, caller: "alice");

        Assert.Null(conflict.Report);
        Assert.Equal(("alice", "reason=MembershipNotFound organizationId=* maxSequenceNumber=1"), (conflict.Conflict!.Caller, conflict.Conflict.Fingerprint));
        Assert.NotNull(widened.Conflict);
        Assert.Single(_queue.Sent);
        Assert.Equal([2L, 3], _queue.Remaining);
    }

    [Fact]
    public async Task A_dry_run_records_nothing_so_the_real_run_may_use_the_same_request_id()
    {
        AddMany(1, "MembershipNotFound", "a");

        var dry = await Replayer().ReplayAsync("req-1", Snapshot("MembershipNotFound", 1), dryRun: true, caller: "alice");
        var real = await Replayer().ReplayAsync("req-1", Snapshot("MembershipNotFound", 1), dryRun: false, caller: "alice");

        Assert.Equal(ReplayStatus.WouldReplay, Assert.Single(dry.Report!.Items).Status);
        Assert.Equal(1, real.Report!.Replayed);
    }

    [Fact]
    public async Task A_lost_lock_is_reported_retry_later_not_not_found_and_the_same_request_then_replays_it()
    {
        var seq = _queue.Add(Plain("evt-1"), "MembershipNotFound", messageId: "evt-1");
        _queue.FailResend = _ => new ServiceBusException("lock lost", ServiceBusFailureReason.MessageLockLost);

        var first = await Replayer().ReplayAsync("req-1", Snapshot("MembershipNotFound", seq), dryRun: false, caller: "alice");
        _queue.FailResend = _ => null;
        var again = await Replayer().ReplayAsync("req-1", Snapshot("MembershipNotFound", seq), dryRun: false, caller: "alice");

        var item = Assert.Single(first.Report!.Items);
        Assert.Equal(ReplayStatus.RetryLater, item.Status);
        Assert.Contains("lock", item.Detail);
        Assert.Equal((1, 0, 0), (first.Report.RetryLater, first.Report.NotFound, first.Report.Failed));
        Assert.Equal(ReplayStatus.Replayed, Assert.Single(again.Report!.Items).Status);
        Assert.Single(_queue.Sent);
    }

    [Fact]
    public async Task A_message_whose_lock_runs_out_while_the_call_works_is_not_sent_but_retry_later()
    {
        AddMany(2, "MembershipNotFound", "a");
        var slow = new SlowLedger(_clock, TimeSpan.FromSeconds(40)); // each stale check takes 40 s of a 60 s lock

        var report = (await Replayer(slow).ReplayAsync("req-1", Snapshot("MembershipNotFound", 2), dryRun: false, caller: "alice")).Report!;

        Assert.Equal([ReplayStatus.Replayed, ReplayStatus.RetryLater], report.Items.Select(i => i.Status));
        Assert.Contains("lock expires", report.Items[1].Detail);
        Assert.Equal(["a-0~replay1"], _queue.Sent.Select(m => m.MessageId));
        Assert.Equal([2L], _queue.Remaining);
    }

    [Fact]
    public async Task A_requested_dead_letter_another_receiver_holds_is_retry_later_and_a_missing_one_not_found()
    {
        var held = _queue.Add(Plain("evt-1"), "MembershipNotFound", messageId: "evt-1");
        _queue.LockElsewhere(held);

        var report = await Inner().ReplayAsync(new ReplaySelection([held, 99], null, null, 0), dryRun: false, caller: "alice");

        Assert.Equal(ReplayStatus.RetryLater, report.Items.Single(i => i.SequenceNumber == held).Status);
        Assert.Equal("evt-1", report.Items.Single(i => i.SequenceNumber == held).EventId);
        Assert.Equal(ReplayStatus.NotFound, report.Items.Single(i => i.SequenceNumber == 99).Status);
        Assert.Equal((1, 1, 1), (report.Selected, report.RetryLater, report.NotFound));
        Assert.Empty(_queue.Sent);
    }

    [Fact]
    public async Task A_walk_whose_earlier_locks_expire_stops_and_says_more_instead_of_claiming_it_saw_everything()
    {
        AddMany(DeadLetterScan.Page + 1, "RoleNotFound", "skip"); // a full page not selected, then one more
        var target = _queue.Add(Plain("evt-x"), "MembershipNotFound", messageId: "evt-x");
        // Each receive takes 61 s: the first page's locks have expired when the second page is received.
        _queue.AfterReceive = _ => _clock.Advance(TimeSpan.FromSeconds(61));

        var report = await Inner().ReplayAsync(Snapshot("MembershipNotFound", target), dryRun: false, caller: "alice");

        Assert.True(report.More);
        Assert.Empty(_queue.Sent);
        Assert.Contains(target, _queue.Remaining);
    }

    [Fact]
    public async Task A_replay_request_without_a_request_id_is_not_recorded()
    {
        var seq = _queue.Add(Plain("evt-1"), "MembershipNotFound", messageId: "evt-1");

        var result = await Replayer().ReplayAsync(null, new ReplaySelection([seq], null, null, 0), dryRun: false, caller: "alice");

        Assert.Equal(1, result.Report!.Replayed);
        Assert.Null(result.Report.RequestId);
        Assert.Empty(await _store.GetReplayedAsync(IdempotentReplayer.KeyOf("")));
    }

    /// <summary>A ledger whose every read takes <paramref name="delay"/> on the fake clock.</summary>
    private sealed class SlowLedger(FakeTimeProvider clock, TimeSpan delay) : IMembershipLedger
    {
        private readonly InMemoryMembershipLedger _inner = new();

        public Task<MembershipRecord?> GetAsync(string organizationId, string userId, CancellationToken cancellationToken = default)
        {
            clock.Advance(delay);
            return _inner.GetAsync(organizationId, userId, cancellationToken);
        }

        public Task<MembershipRecord?> TryWriteAsync(MembershipRecord record, CancellationToken cancellationToken = default) => _inner.TryWriteAsync(record, cancellationToken);

        public Task<string?> RecordEventAsync(string eventId, string content, CancellationToken cancellationToken = default) => _inner.RecordEventAsync(eventId, content, cancellationToken);

        public IAsyncEnumerable<MembershipRecord> ListAsync(string? organizationId = null, CancellationToken cancellationToken = default) => _inner.ListAsync(organizationId, cancellationToken);
    }
}
