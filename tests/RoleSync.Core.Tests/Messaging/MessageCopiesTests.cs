using Azure.Messaging.ServiceBus;
using RoleSync.Messaging;

namespace RoleSync.Core.Tests.Messaging;

/// <summary>The retry and replay copies (<see cref="MessageCopies"/>): what they keep, what they drop, how they are named.</summary>
public sealed class MessageCopiesTests
{
    private const string TraceParent = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";

    private static readonly SettlementDecision.ScheduleRetry Retry =
        new(2, TimeSpan.FromSeconds(30), DateTimeOffset.UnixEpoch, "ClerkUnavailable");

    [Fact]
    public void Both_copies_keep_the_envelope_the_properties_and_the_trace()
    {
        var message = Received("msg-1", new() { ["tenant"] = "acme", [MessageProperties.DiagnosticId] = TraceParent });

        foreach (var copy in new[] { MessageCopies.RetryCopy(message, Retry), MessageCopies.ReplayCopy(message) })
        {
            Assert.Equal("{\"eventId\":\"evt-1\"}", copy.Body.ToString());
            Assert.Equal(("application/json", "corr-1", "role-change"), (copy.ContentType, copy.CorrelationId, copy.Subject));
            Assert.Equal(TimeSpan.FromDays(2), copy.TimeToLive);
            Assert.Equal("acme", copy.ApplicationProperties["tenant"]);
            Assert.Equal(TraceParent, copy.ApplicationProperties[MessageProperties.DiagnosticId]);
            Assert.Equal(default, copy.ScheduledEnqueueTime);
        }
    }

    [Fact]
    public void A_retry_copy_is_named_after_the_producer_s_message_and_the_attempt()
    {
        var first = MessageCopies.RetryCopy(Received("msg-1", []), Retry);
        var again = MessageCopies.RetryCopy(
            Received(first.MessageId, new(first.ApplicationProperties)), Retry with { NextAttempt = 3, LastReason = "LedgerUnavailable" });

        Assert.Equal(("msg-1~r2", "msg-1~r3"), (first.MessageId, again.MessageId));
        Assert.Equal(3, again.ApplicationProperties[MessageProperties.Attempt]);
        Assert.Equal("msg-1", again.ApplicationProperties[MessageProperties.RetryOf]);
        Assert.Equal("LedgerUnavailable", again.ApplicationProperties[MessageProperties.LastReason]);
    }

    [Fact]
    public void A_replay_copy_starts_afresh_and_counts_its_replays()
    {
        var deadLetter = Received("msg-1~r8", new()
        {
            [MessageProperties.DeadLetterReason] = "RetriesExhausted",
            [MessageProperties.DeadLetterErrorDescription] = "Gave up after 8 attempts",
            [MessageProperties.Attempt] = 8,
            [MessageProperties.RetryOf] = "msg-1",
            [MessageProperties.LastReason] = "ClerkUnavailable",
            [MessageProperties.FailedAt] = "2026-11-28T12:00:00.0000000Z",
            [MessageProperties.Version] = "1.0.0",
        });

        var first = MessageCopies.ReplayCopy(deadLetter);
        var second = MessageCopies.ReplayCopy(Received(first.MessageId, new(first.ApplicationProperties)));
        var retryOfReplay = MessageCopies.RetryCopy(Received(first.MessageId, new(first.ApplicationProperties)), Retry);

        Assert.Equal(("msg-1~replay1", "msg-1~replay2", "msg-1~replay1~r2"), (first.MessageId, second.MessageId, retryOfReplay.MessageId));
        Assert.Equal(
            [MessageProperties.ReplayCount, MessageProperties.ReplayedFrom, MessageProperties.Version],
            first.ApplicationProperties.Keys.Order(StringComparer.Ordinal));
        Assert.Equal("msg-1", first.ApplicationProperties[MessageProperties.ReplayedFrom]);
        Assert.Equal(1, first.ApplicationProperties[MessageProperties.ReplayCount]);
        Assert.Equal("msg-1", second.ApplicationProperties[MessageProperties.ReplayedFrom]);
        Assert.Equal(2, second.ApplicationProperties[MessageProperties.ReplayCount]);
    }

    private static ServiceBusReceivedMessage Received(string messageId, Dictionary<string, object> properties) =>
        ServiceBusModelFactory.ServiceBusReceivedMessage(
            body: BinaryData.FromString("{\"eventId\":\"evt-1\"}"), messageId: messageId, correlationId: "corr-1", subject: "role-change",
            contentType: "application/json", timeToLive: TimeSpan.FromDays(2), properties: properties,
            scheduledEnqueueTime: DateTimeOffset.UnixEpoch.AddDays(1), deliveryCount: 3, sequenceNumber: 7);
}
