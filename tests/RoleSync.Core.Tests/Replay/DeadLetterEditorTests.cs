using Microsoft.Extensions.Logging.Testing;
using static RoleSync.Testing.Messages;
using static RoleSync.Testing.RoleSyncHarness;

namespace RoleSync.Core.Tests.Replay;

public sealed class DeadLetterEditorTests
{
    private readonly FakeTimeProvider _clock = new(FakeDeadLetterQueue.EnqueuedAt.AddDays(1));
    private readonly FakeDeadLetterQueue _queue;
    private readonly InMemoryOperatorRequestStore _store = new();
    private readonly FakeLogger<DeadLetterEditor> _log = new();

    public DeadLetterEditorTests() => _queue = new FakeDeadLetterQueue { Clock = _clock };

    private DeadLetterEditor Editor => new(_queue, _store, TestSigning.Signer(), _clock, _log);

    private long AddWrongRole(string eventId = "evt-1") =>
        _queue.Add(Plain(eventId, role: "org:ghost"), "RoleNotFound", messageId: eventId, correlationId: "corr-1",
            properties: new Dictionary<string, object> { ["tenant"] = "acme" });

    private Task<EditResult> Edit(long sequenceNumber, string body, string caller = "alice@contoso.com") =>
        Editor.EditAsync(sequenceNumber, Encoding.UTF8.GetBytes(body), caller);

    [Fact]
    public async Task Sends_the_corrected_change_under_the_derived_event_id_then_completes_the_dead_letter()
    {
        var seq = AddWrongRole();

        var result = await Edit(seq, Plain("evt-1", role: "org:billing"));

        Assert.Equal((EditStatus.Retried, "evt-1", "evt-1~edit1", false), (result.Status, result.OriginalEventId, result.EventId, result.Resumed));
        var copy = Assert.Single(_queue.Sent);
        Assert.Equal("evt-1~edit1", copy.MessageId);
        var change = RoleChangeParser.Parse(copy.Body.ToMemory().Span, _clock.GetUtcNow()).Change!;
        Assert.Equal(("evt-1~edit1", "org:billing", OrgId, MemberId), (change.EventId, change.Role, change.OrganizationId, change.UserId));
        Assert.Equal(("corr-1", "acme"), (copy.CorrelationId, copy.ApplicationProperties["tenant"]));
        Assert.Equal(MessageCopies.EditAndRetryEntryPoint, copy.ApplicationProperties[MessageProperties.EntryPoint]);
        Assert.Equal("alice@contoso.com", copy.ApplicationProperties[MessageProperties.Principal]);
        Assert.False(copy.ApplicationProperties.ContainsKey(MessageProperties.DeadLetterReason));
        // Signed, so the processor trusts the entry point, the principal and the first receipt.
        var delivered = TestSigning.Delivered(copy, sequenceNumber: 50);
        var lineage = MessageLineage.Read(delivered, TestSigning.Signature);
        Assert.True(lineage.Verified);
        Assert.Equal(FakeDeadLetterQueue.EnqueuedAt.AddSeconds(seq), MessageLineage.FirstReceivedAt(delivered, lineage));
        Assert.Empty(_queue.Remaining);
        Assert.Empty(_queue.Locked);
        Assert.Contains("alice@contoso.com", Assert.Single(_log.Collector.GetSnapshot(), r => r.Id.Name == "EditAndRetry").Message);
    }

    [Fact]
    public async Task A_dead_letter_is_edited_once_a_second_edit_is_a_conflict()
    {
        var seq = AddWrongRole();
        await Edit(seq, Plain("evt-1", role: "org:billing"));

        var same = await Edit(seq, Plain("evt-1", role: "org:billing"));
        var other = await Edit(seq, Plain("evt-1", role: "org:member"), caller: "bob");

        Assert.Equal(EditStatus.Conflict, same.Status);
        Assert.Contains("alice@contoso.com", same.Detail);
        Assert.Equal(EditStatus.Conflict, other.Status);
        Assert.Single(_queue.Sent);
    }

    [Fact]
    public async Task When_the_send_fails_the_original_stays_and_the_same_edit_sent_again_finishes_the_job()
    {
        var seq = AddWrongRole();
        _queue.FailResend = _ => new ServiceBusException("send failed", ServiceBusFailureReason.ServiceTimeout);

        var failed = await Edit(seq, Plain("evt-1", role: "org:billing"));
        var otherBody = await Edit(seq, Plain("evt-1", role: "org:member"));
        _queue.FailResend = _ => null;
        var resumed = await Edit(seq, Plain("evt-1", role: "org:billing"));

        Assert.Equal(EditStatus.Failed, failed.Status);
        Assert.Contains("send failed", failed.Detail);
        Assert.Equal(EditStatus.Conflict, otherBody.Status); // the failed send may have gone through: not a second, different edit
        Assert.Equal((EditStatus.Retried, true), (resumed.Status, resumed.Resumed));
        Assert.Equal("evt-1~edit1", Assert.Single(_queue.Sent).MessageId);
        Assert.Empty(_queue.Remaining);
    }

    [Fact]
    public async Task A_lost_lock_is_retry_later_and_the_dead_letter_stays()
    {
        var seq = AddWrongRole();
        _queue.FailResend = _ => new ServiceBusException("lock lost", ServiceBusFailureReason.MessageLockLost);

        var result = await Edit(seq, Plain("evt-1", role: "org:billing"));

        Assert.Equal(EditStatus.RetryLater, result.Status);
        Assert.Empty(_queue.Sent);
        Assert.Equal([seq], _queue.Remaining);
    }

    [Fact]
    public async Task A_dead_letter_another_receiver_holds_is_retry_later()
    {
        var seq = AddWrongRole();
        _queue.LockElsewhere(seq);

        var result = await Edit(seq, Plain("evt-1", role: "org:billing"));

        Assert.Equal(EditStatus.RetryLater, result.Status);
        Assert.Empty(_queue.Sent);
    }

    [Theory]
    [InlineData("{\"eventId\":\"evt-1\",\"role\":\"admin\"}", "occurredAt: is required")]
    [InlineData("not json", "body:")]
    [InlineData("EVENT:evt-2", "eventId: must stay \"evt-1\"")]
    public async Task An_invalid_edit_lists_its_violations_and_sends_and_records_nothing(string body, string violation)
    {
        var seq = AddWrongRole();
        body = body == "EVENT:evt-2" ? Plain("evt-2", role: "org:billing") : body;

        var result = await Edit(seq, body);

        Assert.Equal(EditStatus.Invalid, result.Status);
        Assert.Contains(result.Errors, e => e.StartsWith(violation, StringComparison.Ordinal));
        Assert.Empty(_queue.Sent);
        Assert.Equal([seq], _queue.Remaining);
        Assert.Null(await _store.GetAsync(DeadLetterEditor.KeyOf(seq)));
    }

    [Fact]
    public async Task The_body_may_already_carry_the_derived_event_id()
    {
        var seq = AddWrongRole();

        var result = await Edit(seq, Plain("evt-1~edit1", role: "org:billing"));

        Assert.Equal(EditStatus.Retried, result.Status);
        Assert.Equal("evt-1~edit1", Assert.Single(_queue.Sent).MessageId);
    }

    [Fact]
    public async Task A_cloud_event_body_gets_the_derived_id_in_its_id_attribute()
    {
        var seq = _queue.Add(CloudEvent("ce-1", role: "org:ghost"), "RoleNotFound", messageId: "ce-1");

        var result = await Edit(seq, CloudEvent("ce-1", role: "org:billing"));

        Assert.Equal(EditStatus.Retried, result.Status);
        var change = RoleChangeParser.Parse(Assert.Single(_queue.Sent).Body.ToMemory().Span, _clock.GetUtcNow()).Change!;
        Assert.Equal(("ce-1~edit1", "org:billing"), (change.EventId, change.Role));
    }

    [Fact]
    public async Task A_derived_event_id_longer_than_the_contract_allows_is_refused()
    {
        var longId = new string('e', RoleChangeParser.MaxEventIdLength);
        var seq = AddWrongRole(longId);

        var result = await Edit(seq, Plain(longId, role: "org:billing"));

        Assert.Equal(EditStatus.Invalid, result.Status);
        Assert.Contains(result.Errors, e => e.StartsWith("eventId:", StringComparison.Ordinal));
        Assert.Empty(_queue.Sent);
    }

    [Fact]
    public async Task Without_a_signing_key_nothing_is_sent_or_recorded()
    {
        var seq = AddWrongRole();
        var secrets = new Moq.Mock<IClerkSecretProvider>();
        secrets.Setup(s => s.GetAsync(Moq.It.IsAny<CancellationToken>())).Returns(() => throw new ClerkSecretUnavailableException("vault down"));
        var editor = new DeadLetterEditor(_queue, _store, new MessageSigner(secrets.Object, new FakeLogger<MessageSigner>()), _clock, _log);

        var result = await editor.EditAsync(seq, Encoding.UTF8.GetBytes(Plain("evt-1", role: "org:billing")), "alice");

        Assert.Equal(EditStatus.Unavailable, result.Status);
        Assert.Empty(_queue.Sent);
        Assert.Null(await _store.GetAsync(DeadLetterEditor.KeyOf(seq)));
    }

    [Fact]
    public async Task An_unknown_dead_letter_is_not_found()
    {
        var result = await Edit(42, Plain("evt-1"));

        Assert.Equal(EditStatus.NotFound, result.Status);
    }

    [Theory]
    [InlineData("evt-1", "evt-1~edit1")]
    [InlineData("evt-1~edit1", "evt-1~edit2")]
    [InlineData("evt-1~edit9", "evt-1~edit10")]
    [InlineData("evt~editor", "evt~editor~edit1")]
    public void The_edited_event_id_counts_edits(string original, string expected) =>
        Assert.Equal(expected, DeadLetterEditor.EditedEventId(original));
}
