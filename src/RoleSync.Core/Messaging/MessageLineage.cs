using System.Globalization;
using Azure.Messaging.ServiceBus;
using RoleSync.Processing;

namespace RoleSync.Messaging;

/// <summary>
/// What RoleSync trusts about a received message's place in its lineage (the producer's message, its scheduled retry
/// copies and dead-letter replays): read from the <c>rolesync-*</c> properties only when RoleSync's
/// <see cref="MessageSignature"/> over them verifies; otherwise the message is a producer's (<see cref="Verified"/>
/// false): attempt 1, its own MessageId and sequence number, no replay, whatever <c>rolesync-*</c> properties it carries.
/// </summary>
/// <param name="Verified">The <c>rolesync-*</c> properties are RoleSync's own (the signature verified).</param>
/// <param name="OriginalMessageId">The producer's MessageId, which every copy's MessageId derives from.</param>
/// <param name="LineageSequenceNumber">The broker's sequence number of the lineage's first message.</param>
/// <param name="Attempt">Which attempt this message is (1 or more).</param>
/// <param name="ReplayCount">How many times the lineage was replayed from the dead-letter queue.</param>
/// <param name="Throttled">How many times the lineage was rescheduled because Clerk's limit was spent (not counted as attempts).</param>
/// <param name="EntryPoint">Through which door the change came (<see cref="MessageProperties.EntryPoint"/>); <see cref="EntryPoint.Queue"/> unless signed.</param>
/// <param name="Principal">Who submitted it (<see cref="MessageProperties.Principal"/>); null unless signed.</param>
public sealed record MessageLineage(
    bool Verified, string OriginalMessageId, long LineageSequenceNumber, int Attempt, int ReplayCount,
    int Throttled = 0, EntryPoint EntryPoint = EntryPoint.Queue, string? Principal = null)
{
    /// <summary>
    /// The lineage of <paramref name="message"/>. Without a <paramref name="signature"/> (no key could be had) nothing
    /// can be verified, so the message counts as a producer's. On the queue only <see cref="MessageSignatureScope.Copy"/>
    /// signatures count; reading a dead letter (<paramref name="deadLetter"/>), <see cref="MessageSignatureScope.DeadLetter"/>
    /// ones too.
    /// </summary>
    public static MessageLineage Read(ServiceBusReceivedMessage message, MessageSignature? signature, bool deadLetter = false)
    {
        ArgumentNullException.ThrowIfNull(message);
        var properties = message.ApplicationProperties;
        bool verified = signature is not null
            && (signature.Verify(MessageSignatureScope.Copy, message.MessageId, message.ScheduledEnqueueTime, message.Body, properties)
                || (deadLetter && signature.Verify(MessageSignatureScope.DeadLetter, message.MessageId, message.ScheduledEnqueueTime, message.Body, properties)));
        if (!verified)
        {
            return new MessageLineage(false, message.MessageId, message.SequenceNumber, 1, 0);
        }
        var original = String(properties, MessageProperties.RetryOf) ?? String(properties, MessageProperties.ReplayedFrom) ?? message.MessageId;
        var sequence = Number(properties, MessageProperties.LineageSequenceNumber) ?? message.SequenceNumber;
        var attempt = Number(properties, MessageProperties.Attempt) is long a and >= 1 and <= int.MaxValue ? (int)a : 1;
        var replays = Number(properties, MessageProperties.ReplayCount) is long r and >= 0 and <= int.MaxValue ? (int)r : 0;
        var throttled = Number(properties, MessageProperties.Throttled) is long t and >= 0 and <= int.MaxValue ? (int)t : 0;
        var entryPoint = KebabCaseEnumConverter<EntryPoint>.ValueOf(String(properties, MessageProperties.EntryPoint)) ?? EntryPoint.Queue;
        var principal = entryPoint == EntryPoint.Queue ? null : String(properties, MessageProperties.Principal);
        return new MessageLineage(true, original, sequence, attempt, replays, throttled, entryPoint, principal);
    }

    /// <summary>The wire name of <paramref name="entryPoint"/> (<c>operator</c>, <c>edit-and-retry</c>, …).</summary>
    public static string NameOf(EntryPoint entryPoint) => KebabCaseEnumConverter<EntryPoint>.NameOf(entryPoint);

    /// <summary>
    /// Writes the lineage's entry point and principal onto a copy's <paramref name="properties"/> (nothing for a
    /// producer's message, whose entry point is <see cref="EntryPoint.Queue"/>): retry and replay copies keep them.
    /// </summary>
    public void CopyEntryPointTo(IDictionary<string, object> properties)
    {
        ArgumentNullException.ThrowIfNull(properties);
        if (EntryPoint == EntryPoint.Queue)
        {
            return;
        }
        properties[MessageProperties.EntryPoint] = NameOf(EntryPoint);
        if (Principal is not null)
        {
            properties[MessageProperties.Principal] = Principal;
        }
    }

    /// <summary>
    /// When the queue received the change <paramref name="message"/> carries: for RoleSync's own (verified) copies the
    /// lineage's first receipt (<see cref="MessageProperties.ReceivedAt"/>), else the message's own enqueued time; null
    /// when the broker gave none.
    /// </summary>
    public static DateTimeOffset? FirstReceivedAt(ServiceBusReceivedMessage message, MessageLineage lineage)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(lineage);
        if (lineage.Verified && Number(message.ApplicationProperties, MessageProperties.ReceivedAt) is long ticks
            && ticks >= DateTimeOffset.MinValue.UtcTicks && ticks <= DateTimeOffset.MaxValue.UtcTicks)
        {
            return new DateTimeOffset(ticks, TimeSpan.Zero);
        }
        return message.EnqueuedTime == default ? null : message.EnqueuedTime;
    }

    private static string? String(IReadOnlyDictionary<string, object> properties, string name) =>
        properties.TryGetValue(name, out var value) && value is string { Length: > 0 } text ? text : null;

    private static long? Number(IReadOnlyDictionary<string, object> properties, string name) =>
        properties.TryGetValue(name, out var value) ? value switch
        {
            int i => i,
            long l => l,
            string s when long.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out var parsed) => parsed,
            _ => null,
        } : null;
}
