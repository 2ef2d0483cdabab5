using static RoleSync.Testing.TestSigning;

namespace RoleSync.Core.Tests.Messaging;

/// <summary>The retry and replay copies (<see cref="MessageCopies"/>): what they keep, what they drop, how they are named and signed.</summary>
public sealed class MessageCopiesTests
{
    private const string TraceParent = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";

    private static readonly DateTimeOffset EnqueueAt = new(2026, 11, 28, 12, 0, 30, 123, TimeSpan.Zero);

    private static readonly SettlementDecision.ScheduleRetry Retry = new(2, TimeSpan.FromSeconds(30), EnqueueAt.AddTicks(4567), "ClerkUnavailable");

    [Fact]
    public void Both_copies_keep_the_envelope_the_properties_and_the_trace()
    {
        var message = Received("msg-1", new() { ["tenant"] = "acme", [MessageProperties.DiagnosticId] = TraceParent });
        var lineage = MessageLineage.Read(message, Signature);

        foreach (var copy in new[] { MessageCopies.RetryCopy(message, lineage, Retry, Signature), MessageCopies.ReplayCopy(message, lineage, Signature) })
        {
            Assert.Equal("{\"eventId\":\"evt-1\"}", copy.Body.ToString());
            Assert.Equal(("application/json", "corr-1", "role-change"), (copy.ContentType, copy.CorrelationId, copy.Subject));
            Assert.Equal(TimeSpan.FromDays(2), copy.TimeToLive);
            Assert.Equal("acme", copy.ApplicationProperties["tenant"]);
            Assert.Equal(TraceParent, copy.ApplicationProperties[MessageProperties.DiagnosticId]);
        }
        // Not the received message's scheduled time (the broker's annotations are not copied): the retry's own, or none.
        Assert.Equal(EnqueueAt, MessageCopies.RetryCopy(message, lineage, Retry, Signature).ScheduledEnqueueTime);
        Assert.Equal(default, MessageCopies.ReplayCopy(message, lineage, Signature).ScheduledEnqueueTime);
    }

    [Fact]
    public void A_retry_copy_is_named_after_the_producer_s_message_its_sequence_number_and_the_attempt_and_is_scheduled_to_the_millisecond()
    {
        var first = MessageCopies.RetryCopy(Received("msg-1", [], sequenceNumber: 7), Unverified("msg-1", 7), Retry, Signature);
        var delivered = Delivered(first, sequenceNumber: 20);
        var again = MessageCopies.RetryCopy(delivered, MessageLineage.Read(delivered, Signature), Retry with { NextAttempt = 3, LastReason = "LedgerUnavailable" }, Signature);

        Assert.Equal(("msg-1~s7~r2", "msg-1~s7~r3"), (first.MessageId, again.MessageId));
        Assert.Equal(EnqueueAt, first.ScheduledEnqueueTime); // the ticks below a millisecond go: the broker keeps milliseconds
        Assert.Equal(3, again.ApplicationProperties[MessageProperties.Attempt]);
        Assert.Equal("msg-1", again.ApplicationProperties[MessageProperties.RetryOf]);
        Assert.Equal(7L, again.ApplicationProperties[MessageProperties.LineageSequenceNumber]);
        Assert.Equal("LedgerUnavailable", again.ApplicationProperties[MessageProperties.LastReason]);
        Assert.Equal(
            [MessageProperties.Attempt, MessageProperties.LastReason, MessageProperties.LineageSequenceNumber, MessageProperties.RetryOf, MessageProperties.Signature],
            first.ApplicationProperties.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(new MessageLineage(true, "msg-1", 7, 2, 0), MessageLineage.Read(delivered, Signature));
    }

    [Fact]
    public void A_throttled_reschedule_keeps_the_attempt_and_its_count_names_the_copy_and_survives_the_round_trip()
    {
        var first = MessageCopies.RetryCopy(Received("msg-1", [], sequenceNumber: 7), Unverified("msg-1", 7), Retry with { Throttled = 1 }, Signature);
        var delivered = Delivered(first, sequenceNumber: 20);
        var lineage = MessageLineage.Read(delivered, Signature);
        var again = MessageCopies.RetryCopy(delivered, lineage, Retry with { Throttled = 2 }, Signature);

        Assert.Equal(("msg-1~s7~r2~t1", "msg-1~s7~r2~t2"), (first.MessageId, again.MessageId));
        Assert.Equal(new MessageLineage(true, "msg-1", 7, 2, 0, Throttled: 1), lineage);
        Assert.Equal(2, again.ApplicationProperties[MessageProperties.Throttled]);
        // A producer cannot claim throttle credit: unsigned, the property is ignored.
        var forged = Received("msg-9", new Dictionary<string, object> { [MessageProperties.Throttled] = 40 }, sequenceNumber: 3);
        Assert.Equal(0, MessageLineage.Read(forged, Signature).Throttled);
    }

    [Fact]
    public void The_same_delivery_derives_the_same_copy_id_and_a_redelivery_another()
    {
        var lineage = Unverified("msg-1", 7);

        var once = MessageCopies.RetryCopy(Received("msg-1", [], sequenceNumber: 7), lineage, Retry, Signature);
        var twice = MessageCopies.RetryCopy(Received("msg-1", [], sequenceNumber: 7), lineage, Retry, Signature);
        var redelivered = MessageCopies.RetryCopy(Received("msg-1", [], sequenceNumber: 7, deliveryCount: 2), lineage, Retry, Signature);

        Assert.Equal(once.MessageId, twice.MessageId); // duplicate detection drops a repeat of the same schedule
        Assert.Equal("msg-1~s7~r2~d2", redelivered.MessageId); // never dropped as a repeat of a copy cancelled on delivery 1
    }

    [Fact]
    public void A_producer_cannot_set_RoleSync_s_properties_they_are_ignored_and_not_copied()
    {
        var forged = Received("msg-1", new()
        {
            ["tenant"] = "acme",
            [MessageProperties.Attempt] = 8,
            [MessageProperties.RetryOf] = "victim",
            [MessageProperties.LineageSequenceNumber] = 1L,
            [MessageProperties.ReplayedFrom] = "victim",
            [MessageProperties.ReplayCount] = 5,
            [MessageProperties.LastReason] = "ClerkUnavailable",
            [MessageProperties.Signature] = "v1.forged",
        }, sequenceNumber: 7);

        var lineage = MessageLineage.Read(forged, Signature);
        var copy = MessageCopies.RetryCopy(forged, lineage, Retry, Signature);

        Assert.Equal(new MessageLineage(false, "msg-1", 7, 1, 0), lineage);
        Assert.Equal("msg-1~s7~r2", copy.MessageId);
        Assert.Equal("acme", copy.ApplicationProperties["tenant"]);
        Assert.Equal("msg-1", copy.ApplicationProperties[MessageProperties.RetryOf]);
        Assert.Equal(7L, copy.ApplicationProperties[MessageProperties.LineageSequenceNumber]);
        Assert.False(copy.ApplicationProperties.ContainsKey(MessageProperties.ReplayedFrom));
        Assert.False(copy.ApplicationProperties.ContainsKey(MessageProperties.ReplayCount));
    }

    [Fact]
    public void A_tool_s_resubmission_of_a_copy_is_a_lineage_of_its_own()
    {
        var copy = MessageCopies.RetryCopy(Received("msg-1", [], sequenceNumber: 7), Unverified("msg-1", 7), Retry with { NextAttempt = 8 }, Signature);
        var delivered = Delivered(copy, sequenceNumber: 20);
        // A tool resubmits it (or its dead letter) with every property, as the SDK copies a received message: no scheduled time.
        var resubmitted = Delivered(new ServiceBusMessage(delivered), sequenceNumber: 99);

        var original = MessageLineage.Read(delivered, Signature);
        var tool = MessageLineage.Read(resubmitted, Signature);

        Assert.Equal((true, 8), (original.Verified, original.Attempt));
        Assert.Equal(new MessageLineage(false, copy.MessageId, 99, 1, 0), tool);
        Assert.NotEqual(
            MessageCopies.RetryCopy(delivered, original, Retry with { NextAttempt = 9 }, Signature).MessageId,
            MessageCopies.RetryCopy(resubmitted, tool, Retry, Signature).MessageId);
    }

    [Fact]
    public void A_replay_copy_is_named_after_the_dead_letter_starts_afresh_and_counts_its_replays()
    {
        var deadLetter = Received("msg-1~s7~r8", Signed("msg-1~s7~r8", BinaryData.FromString("{\"eventId\":\"evt-1\"}"), new Dictionary<string, object>
        {
            [MessageProperties.DeadLetterReason] = "RetriesExhausted",
            [MessageProperties.DeadLetterErrorDescription] = "Gave up after 8 attempts",
            [MessageProperties.Attempt] = 8,
            [MessageProperties.RetryOf] = "msg-1",
            [MessageProperties.LineageSequenceNumber] = 7L,
            [MessageProperties.LastReason] = "ClerkUnavailable",
            [MessageProperties.FailedAt] = "2026-11-28T12:00:00.0000000Z",
            [MessageProperties.Version] = "1.0.0",
        }, MessageSignatureScope.DeadLetter, DateTimeOffset.UnixEpoch.AddDays(1)), sequenceNumber: 42);

        var first = MessageCopies.ReplayCopy(deadLetter, MessageLineage.Read(deadLetter, Signature, deadLetter: true), Signature);
        var firstDelivered = Delivered(first, sequenceNumber: 50);
        var firstLineage = MessageLineage.Read(firstDelivered, Signature);
        var retryOfReplay = MessageCopies.RetryCopy(firstDelivered, firstLineage, Retry, Signature);
        var rejected = new SettlementDecision.DeadLetter("RoleNotFound", "no such role", new Dictionary<string, object> { [MessageProperties.Attempt] = 1 });
        var secondDeadLetter = AsDeadLetter(firstDelivered, MessageCopies.DeadLetterProperties(firstDelivered, firstLineage, rejected, Signature));
        var second = MessageCopies.ReplayCopy(secondDeadLetter, MessageLineage.Read(secondDeadLetter, Signature, deadLetter: true), Signature);

        Assert.Equal("msg-1~s7~r8~replay42", first.MessageId);
        Assert.Equal([MessageProperties.ReplayCount, MessageProperties.ReplayedFrom, MessageProperties.Signature], first.ApplicationProperties.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(("msg-1", 1), (first.ApplicationProperties[MessageProperties.ReplayedFrom], first.ApplicationProperties[MessageProperties.ReplayCount]));
        Assert.Equal(new MessageLineage(true, "msg-1", 50, 1, 1), firstLineage);
        Assert.Equal("msg-1~s50~r2", retryOfReplay.MessageId); // never the first run's msg-1~s7~r2
        Assert.Equal((1, "msg-1"), (retryOfReplay.ApplicationProperties[MessageProperties.ReplayCount], retryOfReplay.ApplicationProperties[MessageProperties.ReplayedFrom]));
        Assert.Equal("msg-1~s7~r8~replay42~replay50", second.MessageId);
        Assert.Equal(("msg-1", 2), (second.ApplicationProperties[MessageProperties.ReplayedFrom], second.ApplicationProperties[MessageProperties.ReplayCount]));
    }

    [Fact]
    public void An_unverified_dead_letter_is_replayed_as_a_producer_s_message()
    {
        var deadLetter = Received("evt-1", new() { [MessageProperties.ReplayedFrom] = "victim", [MessageProperties.ReplayCount] = 41 }, sequenceNumber: 5);

        var copy = MessageCopies.ReplayCopy(deadLetter, MessageLineage.Read(deadLetter, Signature, deadLetter: true), Signature);

        Assert.Equal("evt-1~replay5", copy.MessageId);
        Assert.Equal(("evt-1", 1), (copy.ApplicationProperties[MessageProperties.ReplayedFrom], copy.ApplicationProperties[MessageProperties.ReplayCount]));
    }

    [Fact]
    public void Without_a_key_a_replay_copy_goes_unsigned_and_counts_as_a_producer_s_message()
    {
        var deadLetter = Received("evt-1", [], sequenceNumber: 5);

        var copy = MessageCopies.ReplayCopy(deadLetter, MessageLineage.Read(deadLetter, null, deadLetter: true), signature: null);

        Assert.False(copy.ApplicationProperties.ContainsKey(MessageProperties.Signature));
        Assert.False(MessageLineage.Read(Delivered(copy, 6), Signature).Verified);
    }

    [Fact]
    public void A_dead_letter_is_signed_for_the_replayer_only()
    {
        var copy = Delivered(MessageCopies.RetryCopy(Received("msg-1", [], sequenceNumber: 7), Unverified("msg-1", 7), Retry, Signature), 20);
        var decision = new SettlementDecision.DeadLetter("RoleNotFound", "no such role", new Dictionary<string, object>
        {
            [MessageProperties.FailedAt] = "2026-11-28T12:00:00.0000000Z", [MessageProperties.Attempt] = 2, [MessageProperties.Version] = "1.0.0",
        });

        var properties = MessageCopies.DeadLetterProperties(copy, MessageLineage.Read(copy, Signature), decision, Signature);
        var deadLetter = AsDeadLetter(copy, properties);

        Assert.Equal(new MessageLineage(true, "msg-1", 7, 2, 0), MessageLineage.Read(deadLetter, Signature, deadLetter: true));
        Assert.False(MessageLineage.Read(deadLetter, Signature).Verified); // resubmitted to the queue as it is, it is a producer's message
        Assert.False(MessageLineage.Read(AsDeadLetter(copy, MessageCopies.DeadLetterProperties(copy, MessageLineage.Read(copy, null), decision, null)), Signature, deadLetter: true).Verified);
    }

    [Fact]
    public void A_dead_letter_of_a_producer_s_message_is_signed_unless_it_carries_RoleSync_properties_RoleSync_did_not_write()
    {
        var decision = new SettlementDecision.DeadLetter("InvalidMessage", "bad", new Dictionary<string, object> { [MessageProperties.Attempt] = 1 });
        var plain = Received("evt-1", new() { ["tenant"] = "acme" }, sequenceNumber: 3);
        var forged = Received("evt-2", new() { [MessageProperties.Attempt] = 8, [MessageProperties.ReplayedFrom] = "victim" }, sequenceNumber: 4);

        var plainProperties = MessageCopies.DeadLetterProperties(plain, MessageLineage.Read(plain, Signature), decision, Signature);
        var forgedProperties = MessageCopies.DeadLetterProperties(forged, MessageLineage.Read(forged, Signature), decision, Signature);

        Assert.True(MessageLineage.Read(AsDeadLetter(plain, plainProperties), Signature, deadLetter: true).Verified);
        Assert.Equal("", forgedProperties[MessageProperties.Signature]);
        Assert.False(MessageLineage.Read(AsDeadLetter(forged, forgedProperties), Signature, deadLetter: true).Verified);
    }

    private static MessageLineage Unverified(string messageId, long sequenceNumber) => new(false, messageId, sequenceNumber, 1, 0);

    /// <summary><paramref name="message"/> in the dead-letter queue with <paramref name="modified"/> applied, as the broker keeps it.</summary>
    private static ServiceBusReceivedMessage AsDeadLetter(ServiceBusReceivedMessage message, Dictionary<string, object> modified)
    {
        var properties = new Dictionary<string, object>(message.ApplicationProperties);
        foreach (var (name, value) in modified)
        {
            properties[name] = value;
        }
        return Received(message.MessageId, properties, message.SequenceNumber, scheduled: message.ScheduledEnqueueTime);
    }

    private static ServiceBusReceivedMessage Received(
        string messageId, Dictionary<string, object> properties, long sequenceNumber = 7, int deliveryCount = 1, DateTimeOffset? scheduled = null) =>
        ServiceBusModelFactory.ServiceBusReceivedMessage(
            body: BinaryData.FromString("{\"eventId\":\"evt-1\"}"), messageId: messageId, correlationId: "corr-1", subject: "role-change",
            contentType: "application/json", timeToLive: TimeSpan.FromDays(2), properties: properties,
            scheduledEnqueueTime: scheduled ?? DateTimeOffset.UnixEpoch.AddDays(1), deliveryCount: deliveryCount, sequenceNumber: sequenceNumber);
}
