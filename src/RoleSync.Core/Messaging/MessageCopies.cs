using System.Globalization;
using Azure.Messaging.ServiceBus;

namespace RoleSync.Messaging;

/// <summary>
/// The copies RoleSync sends of a message it received: a scheduled retry (<see cref="RetryCopy"/>) and a dead-letter
/// replay (<see cref="ReplayCopy"/>). Both are the SDK's copy of the received message (body, content type,
/// CorrelationId, subject, application properties, time to live, …; not the broker's annotations or the dead-letter
/// reason and description) with a MessageId derived from the producer's, so duplicate detection never mistakes a copy
/// for another, and with Diagnostic-Id kept, so every copy continues the producer's trace.
/// </summary>
public static class MessageCopies
{
    /// <summary>
    /// The copy that makes attempt <see cref="SettlementDecision.ScheduleRetry.NextAttempt"/>: MessageId
    /// <c>{original}~r{n}</c> (<see cref="MessageProperties.RetryMessageId"/>), with <see cref="MessageProperties.Attempt"/>,
    /// <see cref="MessageProperties.RetryOf"/> (the producer's MessageId) and <see cref="MessageProperties.LastReason"/>.
    /// </summary>
    public static ServiceBusMessage RetryCopy(ServiceBusReceivedMessage message, SettlementDecision.ScheduleRetry retry)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(retry);
        var original = MessageProperties.OriginalMessageId(message.MessageId, message.ApplicationProperties);
        var copy = CopyOf(message, MessageProperties.RetryMessageId(original, retry.NextAttempt));
        copy.ApplicationProperties[MessageProperties.Attempt] = retry.NextAttempt;
        copy.ApplicationProperties[MessageProperties.RetryOf] = original;
        copy.ApplicationProperties[MessageProperties.LastReason] = retry.LastReason;
        return copy;
    }

    /// <summary>
    /// The copy of a dead letter sent back to the queue: MessageId <c>{original}~replay{n}</c> for its n-th replay, with
    /// <see cref="MessageProperties.ReplayedFrom"/> (the producer's MessageId) and <see cref="MessageProperties.ReplayCount"/>,
    /// and a fresh start: no dead-letter or retry properties, so it is not dead and gets a new retry budget. Without
    /// <see cref="MessageProperties.RetryOf"/> its retries are named after the replay (<c>{original}~replay{n}~r{k}</c>),
    /// so duplicate detection cannot mistake them for the first run's retry copies (<c>{original}~r{k}</c>) and drop them.
    /// </summary>
    public static ServiceBusMessage ReplayCopy(ServiceBusReceivedMessage deadLetter)
    {
        ArgumentNullException.ThrowIfNull(deadLetter);
        var properties = deadLetter.ApplicationProperties;
        var original = properties.TryGetValue(MessageProperties.ReplayedFrom, out var from) && from is string { Length: > 0 } f
            ? f
            : MessageProperties.OriginalMessageId(deadLetter.MessageId, properties);
        int count = properties.TryGetValue(MessageProperties.ReplayCount, out var c) && c is int n ? n + 1 : 1;
        var copy = CopyOf(deadLetter, MessageProperties.DeriveMessageId(original, "~replay" + count.ToString(CultureInfo.InvariantCulture)));
        foreach (var key in (ReadOnlySpan<string>)[
            MessageProperties.DeadLetterReason, MessageProperties.DeadLetterErrorDescription, MessageProperties.Attempt,
            MessageProperties.FailedAt, MessageProperties.RetryOf, MessageProperties.LastReason])
        {
            copy.ApplicationProperties.Remove(key);
        }
        copy.ApplicationProperties[MessageProperties.ReplayedFrom] = original;
        copy.ApplicationProperties[MessageProperties.ReplayCount] = count;
        return copy;
    }

    /// <summary>
    /// The SDK's copy of <paramref name="message"/> under <paramref name="messageId"/>. The SDK drops Diagnostic-Id
    /// (a new send would get a new one); it is put back.
    /// </summary>
    private static ServiceBusMessage CopyOf(ServiceBusReceivedMessage message, string messageId)
    {
        var copy = new ServiceBusMessage(message) { MessageId = messageId };
        if (message.ApplicationProperties.TryGetValue(MessageProperties.DiagnosticId, out var diagnosticId))
        {
            copy.ApplicationProperties[MessageProperties.DiagnosticId] = diagnosticId;
        }
        return copy;
    }
}
