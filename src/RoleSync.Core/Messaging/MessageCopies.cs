using Azure.Messaging.ServiceBus;

namespace RoleSync.Messaging;

/// <summary>
/// The copies RoleSync sends of a message it received, a scheduled retry (<see cref="RetryCopy"/>), a dead-letter
/// replay (<see cref="ReplayCopy"/>) and an edited dead letter (<see cref="EditCopy"/>), and the properties it sets on a message it dead-letters
/// (<see cref="DeadLetterProperties"/>). A copy is the SDK's copy of the received message (body, content type,
/// CorrelationId, subject, application properties, time to live, …; not the broker's annotations or the dead-letter
/// reason and description) with Diagnostic-Id kept, so every copy continues the producer's trace; with a MessageId
/// derived from the lineage's (<see cref="MessageProperties.RetryMessageId"/>, <see cref="MessageProperties.ReplayMessageId"/>),
/// so duplicate detection never mistakes a copy for another; and with none of the received <c>rolesync-*</c>
/// properties, only the ones RoleSync writes from the verified <see cref="MessageLineage"/> (its entry point and
/// principal included, <see cref="MessageLineage.CopyEntryPointTo"/>), signed (<see cref="MessageSignature"/>).
/// </summary>
public static class MessageCopies
{
    /// <summary>The <see cref="MessageProperties.EntryPoint"/> of an edited dead letter's copy.</summary>
    public static string EditAndRetryEntryPoint { get; } = MessageLineage.NameOf(Processing.EntryPoint.EditAndRetry);

    /// <summary>
    /// The copy that makes attempt <see cref="SettlementDecision.ScheduleRetry.NextAttempt"/>, to be scheduled at its
    /// <see cref="ServiceBusMessage.ScheduledEnqueueTime"/> (the decision's, to the millisecond: the signature covers
    /// it), with <see cref="MessageProperties.Attempt"/>, <see cref="MessageProperties.RetryOf"/> (the producer's
    /// MessageId), <see cref="MessageProperties.LineageSequenceNumber"/>, <see cref="MessageProperties.LastReason"/>, the
    /// replay count of a replayed lineage, and <see cref="MessageProperties.Signature"/>. A retry copy is always signed:
    /// an unsigned one would count as attempt 1 and could retry for ever (the settler does not send one).
    /// </summary>
    public static ServiceBusMessage RetryCopy(
        ServiceBusReceivedMessage message, MessageLineage lineage, SettlementDecision.ScheduleRetry retry, MessageSignature signature)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(lineage);
        ArgumentNullException.ThrowIfNull(retry);
        ArgumentNullException.ThrowIfNull(signature);
        var id = MessageProperties.RetryMessageId(lineage.OriginalMessageId, lineage.LineageSequenceNumber, retry.NextAttempt, message.DeliveryCount, retry.Throttled);
        var copy = CopyOf(message, id);
        var properties = copy.ApplicationProperties;
        properties[MessageProperties.Attempt] = retry.NextAttempt;
        properties[MessageProperties.RetryOf] = lineage.OriginalMessageId;
        properties[MessageProperties.LineageSequenceNumber] = lineage.LineageSequenceNumber;
        properties[MessageProperties.LastReason] = retry.LastReason;
        if (retry.Throttled > 0)
        {
            properties[MessageProperties.Throttled] = retry.Throttled;
        }
        if (MessageLineage.FirstReceivedAt(message, lineage) is { } received)
        {
            properties[MessageProperties.ReceivedAt] = received.UtcTicks;
        }
        if (lineage.ReplayCount > 0)
        {
            properties[MessageProperties.ReplayedFrom] = lineage.OriginalMessageId;
            properties[MessageProperties.ReplayCount] = lineage.ReplayCount;
        }
        lineage.CopyEntryPointTo(properties);
        copy.ScheduledEnqueueTime = DateTimeOffset.FromUnixTimeMilliseconds(retry.EnqueueAt.ToUnixTimeMilliseconds());
        properties[MessageProperties.Signature] = signature.Compute(MessageSignatureScope.Copy, copy.MessageId, copy.ScheduledEnqueueTime, copy.Body, properties);
        return copy;
    }

    /// <summary>
    /// The copy that holds a message while RoleSync is in quarantine when there is no key to sign it (Key Vault denies
    /// the secret and this host never read it): unsigned, so it counts as a producer's message (attempt 1, received when
    /// it is enqueued), which this message already does on this host; named
    /// <see cref="MessageProperties.RetryMessageId"/> after this message's own id and sequence number, so each hold is a
    /// new id. Better a fresh budget than a dead letter while the system, not the message, is broken.
    /// </summary>
    public static ServiceBusMessage UnsignedHoldCopy(ServiceBusReceivedMessage message, MessageLineage lineage, SettlementDecision.ScheduleRetry retry)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(lineage);
        ArgumentNullException.ThrowIfNull(retry);
        var copy = CopyOf(message, MessageProperties.RetryMessageId(lineage.OriginalMessageId, lineage.LineageSequenceNumber, retry.NextAttempt, message.DeliveryCount, retry.Throttled));
        copy.ScheduledEnqueueTime = DateTimeOffset.FromUnixTimeMilliseconds(retry.EnqueueAt.ToUnixTimeMilliseconds());
        return copy;
    }

    /// <summary>
    /// The copy of a dead letter sent back to the queue: MessageId <c>{dead letter's MessageId}~replay{its SequenceNumber}</c>,
    /// with <see cref="MessageProperties.ReplayedFrom"/> (the producer's MessageId, when the dead letter's properties
    /// verify; else the dead letter's own) and <see cref="MessageProperties.ReplayCount"/>, and a fresh start: no
    /// dead-letter, attempt or retry properties, so it is not dead and gets a new retry budget, and a lineage of its
    /// own (its retries are named after its own sequence number, never the first run's). Without a
    /// <paramref name="signature"/> (no key could be had) the copy is sent unsigned: it then counts as a producer's
    /// message, which a replay is anyway (attempt 1), only without its replay count.
    /// </summary>
    public static ServiceBusMessage ReplayCopy(ServiceBusReceivedMessage deadLetter, MessageLineage lineage, MessageSignature? signature)
    {
        ArgumentNullException.ThrowIfNull(deadLetter);
        ArgumentNullException.ThrowIfNull(lineage);
        var copy = FreshCopyOf(deadLetter, lineage, MessageProperties.ReplayMessageId(deadLetter.MessageId, deadLetter.SequenceNumber));
        var properties = copy.ApplicationProperties;
        properties[MessageProperties.ReplayedFrom] = lineage.OriginalMessageId;
        properties[MessageProperties.ReplayCount] = lineage.ReplayCount + 1;
        lineage.CopyEntryPointTo(properties);
        if (signature is not null)
        {
            properties[MessageProperties.Signature] = signature.Compute(MessageSignatureScope.Copy, copy.MessageId, default, copy.Body, properties);
        }
        return copy;
    }

    /// <summary>
    /// The corrected copy of a dead letter (edit-and-retry): <paramref name="body"/> instead of the dead letter's, under
    /// <paramref name="messageId"/> (the edited change's derived event id), with the dead letter's other properties,
    /// CorrelationId and first receipt (<see cref="MessageProperties.ReceivedAt"/>: the change is still ordered by when
    /// the queue first had it), a fresh start as a replay has, and <see cref="MessageProperties.EntryPoint"/>
    /// <see cref="EditAndRetryEntryPoint"/> with <see cref="MessageProperties.Principal"/> (who edited it), signed: an
    /// edit is only sent signed, so who made it is never a producer's claim.
    /// </summary>
    public static ServiceBusMessage EditCopy(
        ServiceBusReceivedMessage deadLetter, MessageLineage lineage, string messageId, BinaryData body, string principal, MessageSignature signature)
    {
        ArgumentNullException.ThrowIfNull(deadLetter);
        ArgumentNullException.ThrowIfNull(lineage);
        ArgumentNullException.ThrowIfNull(body);
        ArgumentNullException.ThrowIfNull(principal);
        ArgumentNullException.ThrowIfNull(signature);
        var copy = FreshCopyOf(deadLetter, lineage, messageId);
        copy.Body = body;
        var properties = copy.ApplicationProperties;
        properties[MessageProperties.EntryPoint] = EditAndRetryEntryPoint;
        properties[MessageProperties.Principal] = principal;
        properties[MessageProperties.Signature] = signature.Compute(MessageSignatureScope.Copy, copy.MessageId, default, copy.Body, properties);
        return copy;
    }

    /// <summary>
    /// The properties to set when dead-lettering <paramref name="message"/>: the decision's, and a
    /// <see cref="MessageSignatureScope.DeadLetter"/> signature over the properties the dead letter will carry (the
    /// replayer trusts its lineage only then). The signature is emptied, never left as it was, when there is no key or
    /// when the message is not verified and carries <c>rolesync-*</c> properties the decision does not overwrite:
    /// RoleSync does not vouch for a producer's.
    /// </summary>
    public static Dictionary<string, object> DeadLetterProperties(
        ServiceBusReceivedMessage message, MessageLineage lineage, SettlementDecision.DeadLetter deadLetter, MessageSignature? signature)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(lineage);
        ArgumentNullException.ThrowIfNull(deadLetter);
        var modified = new Dictionary<string, object>(deadLetter.Properties);
        var carried = new Dictionary<string, object>(message.ApplicationProperties);
        foreach (var (name, value) in modified)
        {
            carried[name] = value;
        }
        bool foreign = !lineage.Verified && message.ApplicationProperties.Keys.Any(name =>
            MessageProperties.IsRoleSyncProperty(name) && name != MessageProperties.Signature && !modified.ContainsKey(name));
        modified[MessageProperties.Signature] = signature is null || foreign
            ? ""
            : signature.Compute(MessageSignatureScope.DeadLetter, message.MessageId, message.ScheduledEnqueueTime, message.Body, carried);
        return modified;
    }

    /// <summary>
    /// A dead letter's copy under <paramref name="messageId"/> that starts afresh: no dead-letter, attempt or retry
    /// properties, the lineage's first receipt kept (a dead letter keeps its first enqueued time).
    /// </summary>
    private static ServiceBusMessage FreshCopyOf(ServiceBusReceivedMessage deadLetter, MessageLineage lineage, string messageId)
    {
        var copy = CopyOf(deadLetter, messageId);
        var properties = copy.ApplicationProperties;
        properties.Remove(MessageProperties.DeadLetterReason);
        properties.Remove(MessageProperties.DeadLetterErrorDescription);
        if (MessageLineage.FirstReceivedAt(deadLetter, lineage) is { } received)
        {
            properties[MessageProperties.ReceivedAt] = received.UtcTicks;
        }
        return copy;
    }

    /// <summary>
    /// The SDK's copy of <paramref name="message"/> under <paramref name="messageId"/>, without its <c>rolesync-*</c>
    /// properties. The SDK drops Diagnostic-Id (a new send would get a new one); it is put back.
    /// </summary>
    private static ServiceBusMessage CopyOf(ServiceBusReceivedMessage message, string messageId)
    {
        var copy = new ServiceBusMessage(message) { MessageId = messageId };
        foreach (var name in copy.ApplicationProperties.Keys.Where(MessageProperties.IsRoleSyncProperty).ToList())
        {
            copy.ApplicationProperties.Remove(name);
        }
        if (message.ApplicationProperties.TryGetValue(MessageProperties.DiagnosticId, out var diagnosticId))
        {
            copy.ApplicationProperties[MessageProperties.DiagnosticId] = diagnosticId;
        }
        return copy;
    }
}
