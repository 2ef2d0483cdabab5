using Azure.Messaging.ServiceBus;
using RoleSync.Contract;

namespace RoleSync.Replay;

/// <summary>
/// One dead letter as an operator sees it: the broker's facts and, when the body parses, its change (<see cref="Action"/>
/// and <see cref="OccurredAt"/> too, so an edit can start from the change as it was).
/// </summary>
public sealed record DeadLetterView(
    long SequenceNumber,
    string MessageId,
    string? EventId,
    string? OrganizationId,
    string? UserId,
    string? Role,
    RoleChangeAction? Action,
    DateTimeOffset? OccurredAt,
    string? DeadLetterReason,
    string? DeadLetterErrorDescription,
    DateTimeOffset EnqueuedTime,
    int DeliveryCount)
{
    /// <summary>The view of <paramref name="message"/>: its change when the body parses (as of <paramref name="now"/>), else only what the broker says.</summary>
    internal static DeadLetterView From(ServiceBusReceivedMessage message, DateTimeOffset now)
    {
        var parse = RoleChangeParser.Parse(message.Body.ToMemory().Span, now);
        var change = parse.Change;
        return new DeadLetterView(
            message.SequenceNumber,
            message.MessageId,
            change?.EventId ?? parse.EventId,
            change?.OrganizationId,
            change?.UserId,
            change?.Role,
            change?.Action,
            change?.OccurredAt,
            message.DeadLetterReason,
            message.DeadLetterErrorDescription,
            message.EnqueuedTime,
            message.DeliveryCount);
    }
}
