using Microsoft.Extensions.Logging.Testing;
using static RoleSync.Testing.Messages;
using static RoleSync.Testing.RoleSyncHarness;

namespace RoleSync.Core.Tests.Replay;

public sealed class DeadLetterReplayerTests
{
    private readonly FakeDeadLetterQueue _queue = new();
    private readonly InMemoryMembershipLedger _ledger = new();
    private readonly FakeLogger<DeadLetterReplayer> _log = new();

    private DeadLetterReplayer Replayer => new(_queue, _ledger, TestSigning.Signer(), TimeProvider.System, _log);

    [Fact]
    public async Task Lists_dead_letters_with_their_change_filtered_and_paged()
    {
        var a = _queue.Add(Plain("evt-1", userId: "user_a1"), "MembershipNotFound");
        _queue.Add(Plain("evt-2", organizationId: "org_other"), "MembershipNotFound");
        var c = _queue.Add(Plain("evt-3", userId: "user_c3"), "MembershipNotFound");
        _queue.Add("not json", "InvalidMessage");

        var page1 = await Replayer.ListAsync("MembershipNotFound", OrgId, limit: 1, fromSequenceNumber: 0);
        var page2 = await Replayer.ListAsync("MembershipNotFound", OrgId, limit: 1, fromSequenceNumber: page1.NextSequenceNumber!.Value);
        var all = await Replayer.ListAsync(null, null, limit: 50, fromSequenceNumber: 0);

        var first = Assert.Single(page1.Items);
        Assert.Equal((a, "evt-1", OrgId, "user_a1", "org:admin", "MembershipNotFound"), (first.SequenceNumber, first.EventId, first.OrganizationId, first.UserId, first.Role, first.DeadLetterReason));
        Assert.Equal(c, Assert.Single(page2.Items).SequenceNumber);
        Assert.Equal(4, all.Items.Count);
        Assert.Null(all.NextSequenceNumber);
        Assert.Null(all.Items[3].OrganizationId); // an invalid body is listed, without a change
        Assert.Empty(_queue.Locked); // listing peeks only
    }

    [Fact]
    public async Task Replays_selected_sequence_numbers_and_leaves_the_rest()
    {
        var keep = _queue.Add(Plain("evt-1"), "RoleNotFound");
        var replay = _queue.Add(Plain("evt-2", userId: AdminId), "MembershipNotFound", messageId: "evt-2", correlationId: "corr-9",
            properties: new Dictionary<string, object> { ["tenant"] = "acme", ["rolesync-attempt"] = 8 });

        var report = await Replayer.ReplayAsync(new ReplaySelection([replay, 999], null, null, 0), dryRun: false, caller: "function key");

        Assert.Equal((1, 1, 0, 1), (report.Selected, report.Replayed, report.Failed, report.NotFound));
        Assert.Equal(ReplayMode.SendThenComplete, report.Mode);
        var copy = Assert.Single(_queue.Sent);
        Assert.Equal($"evt-2~replay{replay}", copy.MessageId);
        Assert.Equal("corr-9", copy.CorrelationId);
        Assert.Equal(Plain("evt-2", userId: AdminId), copy.Body.ToString());
        Assert.Equal("acme", copy.ApplicationProperties["tenant"]);
        Assert.Equal("evt-2", copy.ApplicationProperties[MessageProperties.ReplayedFrom]);
        Assert.Equal(1, copy.ApplicationProperties[MessageProperties.ReplayCount]);
        Assert.False(copy.ApplicationProperties.ContainsKey("rolesync-attempt")); // a fresh retry budget
        Assert.False(copy.ApplicationProperties.ContainsKey("DeadLetterReason"));
        Assert.Equal([keep], _queue.Remaining);
        Assert.Empty(_queue.Locked); // everything received but not replayed was released
        Assert.Contains(report.Items, i => i is { SequenceNumber: 999, Status: ReplayStatus.NotFound });
    }

    [Fact]
    public async Task A_second_replay_of_the_same_message_gets_a_new_id_and_counts_replays_RoleSync_signed()
    {
        var signed = _queue.Add(Plain("evt-1"), "MembershipNotFound", messageId: "evt-1~replay7", properties: TestSigning.Signed("evt-1~replay7", BinaryData.FromString(Plain("evt-1")),
            new Dictionary<string, object> { [MessageProperties.ReplayedFrom] = "evt-1", [MessageProperties.ReplayCount] = 1 }));
        var forged = _queue.Add(Plain("evt-2"), "MembershipNotFound", messageId: "evt-2",
            properties: new Dictionary<string, object> { [MessageProperties.ReplayedFrom] = "victim", [MessageProperties.ReplayCount] = 41 });

        await Replayer.ReplayAsync(new ReplaySelection([signed, forged], null, null, 0), dryRun: false, caller: "ops");

        var (second, other) = (_queue.Sent[0], _queue.Sent[1]);
        Assert.Equal($"evt-1~replay7~replay{signed}", second.MessageId);
        Assert.Equal(("evt-1", 2), (second.ApplicationProperties[MessageProperties.ReplayedFrom], second.ApplicationProperties[MessageProperties.ReplayCount]));
        Assert.Equal($"evt-2~replay{forged}", other.MessageId);
        Assert.Equal(("evt-2", 1), (other.ApplicationProperties[MessageProperties.ReplayedFrom], other.ApplicationProperties[MessageProperties.ReplayCount]));
    }

    [Fact]
    public async Task A_dead_letter_s_replay_id_is_its_own_the_same_on_every_try_so_duplicate_detection_drops_a_second_send()
    {
        var a = _queue.Add(Plain("evt-1"), "MembershipNotFound", messageId: "evt-1");
        var b = _queue.Add(Plain("evt-1"), "MembershipNotFound", messageId: "evt-1", properties: new Dictionary<string, object>
        {
            [MessageProperties.ReplayedFrom] = "evt-1", [MessageProperties.ReplayCount] = 0, // a tool's resubmission, dead again
        });

        var once = await Replayer.ReplayAsync(new ReplaySelection([a, b], null, null, 0), dryRun: true, caller: "ops");
        var twice = await Replayer.ReplayAsync(new ReplaySelection([a, b], null, null, 0), dryRun: true, caller: "ops");

        Assert.Equal([$"evt-1~replay{a}", $"evt-1~replay{b}"], once.Items.Select(i => i.NewMessageId));
        Assert.Equal(once.Items.Select(i => i.NewMessageId), twice.Items.Select(i => i.NewMessageId));
    }

    [Fact]
    public async Task Replays_by_reason_and_organization_up_to_max_and_says_there_is_more()
    {
        for (int i = 0; i < 5; i++)
        {
            _queue.Add(Plain($"evt-{i}", userId: $"user_u{i}"), i == 2 ? "RoleNotFound" : "MembershipNotFound", messageId: $"evt-{i}");
        }

        var report = await Replayer.ReplayAsync(new ReplaySelection(null, "MembershipNotFound", OrgId, 3), dryRun: false, caller: "ops");

        Assert.Equal(3, report.Replayed);
        Assert.True(report.More);
        Assert.Equal(["evt-0~replay1", "evt-1~replay2", "evt-3~replay4"], _queue.Sent.Select(m => m.MessageId));
        Assert.Equal(2, _queue.Remaining.Count);
        Assert.Empty(_queue.Locked);
    }

    [Fact]
    public async Task Dry_run_changes_nothing_and_takes_no_locks()
    {
        var seq = _queue.Add(Plain("evt-1"), "MembershipNotFound");

        var report = await Replayer.ReplayAsync(new ReplaySelection(null, "MembershipNotFound", null, 10), dryRun: true, caller: "ops");

        Assert.Equal(ReplayStatus.WouldReplay, Assert.Single(report.Items).Status);
        Assert.True(report.DryRun);
        Assert.Null(report.Mode);
        Assert.Empty(_queue.Sent);
        Assert.Equal([seq], _queue.Remaining);
        Assert.Empty(_queue.Released);
    }

    [Fact]
    public async Task Says_when_a_replayed_change_is_already_superseded()
    {
        var change = new RoleChange("evt-9", BaseTime.AddHours(1), OrgId, MemberId, "org:billing", null, null);
        await _ledger.TryWriteAsync(MembershipRecord.NewestFrom(change, BaseTime));
        var old = _queue.Add(Plain("evt-1", BaseTime), "MembershipNotFound");
        var fresh = _queue.Add(Plain("evt-99", BaseTime.AddHours(2), userId: MemberId), "MembershipNotFound");

        var report = await Replayer.ReplayAsync(new ReplaySelection([old, fresh], null, null, 0), dryRun: false, caller: "ops");

        Assert.True(report.Items.Single(i => i.SequenceNumber == old).Stale);
        Assert.Contains("stale", report.Items.Single(i => i.SequenceNumber == old).Detail);
        Assert.False(report.Items.Single(i => i.SequenceNumber == fresh).Stale);
    }

    [Fact]
    public async Task A_failed_resend_is_reported_and_the_message_stays_dead()
    {
        var seq = _queue.Add(Plain("evt-1"), "MembershipNotFound");
        _queue.FailResend = _ => new ServiceBusException("send failed", ServiceBusFailureReason.ServiceTimeout);

        var report = await Replayer.ReplayAsync(new ReplaySelection([seq], null, null, 0), dryRun: false, caller: "ops");

        Assert.Equal((0, 1), (report.Replayed, report.Failed));
        Assert.Contains("send failed", report.Items.Single().Detail);
        Assert.Equal([seq], _queue.Remaining);
    }

    [Fact]
    public async Task Every_replay_is_audited_with_caller_selection_counts_and_outcomes()
    {
        var seq = _queue.Add(Plain("evt-1"), "MembershipNotFound");

        await Replayer.ReplayAsync(new ReplaySelection([seq], null, null, 0), dryRun: false, caller: "alice@example.com");

        var audit = Assert.Single(_log.Collector.GetSnapshot(), r => r.Id.Name == "ReplayAudit");
        Assert.Contains("alice@example.com", audit.Message);
        Assert.Contains($"sequenceNumbers={seq}", audit.Message);
        Assert.Contains("replayed=1", audit.Message);
        Assert.Contains($"{seq}:replayed", audit.Message);
        Assert.Contains("mode=send-then-complete", audit.Message);
    }

    [Fact]
    public async Task More_than_500_per_call_is_refused()
    {
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() =>
            Replayer.ReplayAsync(new ReplaySelection(null, "MembershipNotFound", null, 501), dryRun: false, caller: "ops"));
    }

    [Fact]
    public async Task Stopping_early_releases_every_message_of_the_received_batch()
    {
        var first = _queue.Add(Plain("evt-1"), "MembershipNotFound");
        _queue.Add(Plain("evt-2"), "MembershipNotFound");
        _queue.Add(Plain("evt-3"), "MembershipNotFound");

        await Replayer.ReplayAsync(new ReplaySelection([first], null, null, 0), dryRun: false, caller: "ops");

        Assert.Single(_queue.Sent);
        Assert.Empty(_queue.Locked); // evt-2 and evt-3 came in the same batch and were released, not left locked
        Assert.Equal(2, _queue.Remaining.Count);
    }

    [Fact]
    public async Task A_replayed_retries_exhausted_message_starts_a_new_retry_lineage()
    {
        var seq = _queue.Add(Plain("evt-1"), "RetriesExhausted", messageId: "evt-1~s3~r8", properties: TestSigning.Signed("evt-1~s3~r8", BinaryData.FromString(Plain("evt-1")), new Dictionary<string, object>
        {
            [MessageProperties.RetryOf] = "evt-1",
            [MessageProperties.LineageSequenceNumber] = 3L,
            [MessageProperties.LastReason] = "ClerkUnavailable",
            [MessageProperties.Attempt] = 8,
        }, MessageSignatureScope.DeadLetter));

        await Replayer.ReplayAsync(new ReplaySelection([seq], null, null, 0), dryRun: false, caller: "ops");

        var copy = _queue.Sent.Single();
        Assert.Equal($"evt-1~s3~r8~replay{seq}", copy.MessageId);
        Assert.Equal("evt-1", copy.ApplicationProperties[MessageProperties.ReplayedFrom]);
        Assert.False(copy.ApplicationProperties.ContainsKey(MessageProperties.RetryOf));
        Assert.False(copy.ApplicationProperties.ContainsKey(MessageProperties.LastReason));
        Assert.False(copy.ApplicationProperties.ContainsKey(MessageProperties.Attempt));
        // Its retries are named after its own sequence number, never the first run's evt-1~s3~r2…
        var delivered = TestSigning.Delivered(copy, sequenceNumber: 30);
        var retry = new SettlementDecision.ScheduleRetry(2, TimeSpan.FromSeconds(30), BaseTime, "ClerkUnavailable");
        Assert.Equal("evt-1~s30~r2", MessageCopies.RetryCopy(delivered, MessageLineage.Read(delivered, TestSigning.Signature), retry, TestSigning.Signature).MessageId);
    }
}
