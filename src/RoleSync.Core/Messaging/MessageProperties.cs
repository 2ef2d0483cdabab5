using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace RoleSync.Messaging;

/// <summary>
/// Every application property RoleSync reads or puts on messages it schedules again, dead-letters or replays, and the
/// MessageIds of its copies. Names are stable: operators filter dead-letter queues by them. They are read only through
/// <see cref="MessageLineage"/>, which trusts them only when RoleSync's <see cref="Signature"/> verifies.
/// </summary>
public static class MessageProperties
{
    /// <summary>The prefix of every property RoleSync owns; on a message they count only when signed (<see cref="Signature"/>).</summary>
    public const string Prefix = "rolesync-";

    /// <summary>Which attempt this message is (int; absent on a producer's message, which is attempt 1).</summary>
    public const string Attempt = "rolesync-attempt";

    /// <summary>When the message was given up (ISO 8601 UTC string), on dead letters.</summary>
    public const string FailedAt = "rolesync-failed-at";

    /// <summary>RoleSync's version that settled the message, on dead letters.</summary>
    public const string Version = "rolesync-version";

    /// <summary>The producer's MessageId, on scheduled retry copies (which carry a derived MessageId).</summary>
    public const string RetryOf = "rolesync-retry-of";

    /// <summary>The transient reason of the previous attempt, on retry copies and on RetriesExhausted dead letters.</summary>
    public const string LastReason = "rolesync-last-reason";

    /// <summary>The producer's MessageId (without retry or replay suffixes), on dead-letter replay copies.</summary>
    public const string ReplayedFrom = "rolesync-replayed-from";

    /// <summary>How many times the message has been replayed from the dead-letter queue (int), on replay copies.</summary>
    public const string ReplayCount = "rolesync-replay-count";

    /// <summary>
    /// The broker's sequence number of the lineage's first message (long), on retry copies: with the producer's
    /// MessageId it names the copies (<see cref="RetryMessageId"/>).
    /// </summary>
    public const string LineageSequenceNumber = "rolesync-lineage-sequence-number";

    /// <summary>
    /// How many times the lineage was rescheduled because Clerk's shared limit was spent (int, on retry copies): such a
    /// reschedule keeps the attempt number (<see cref="SettlementPolicy"/>), and this count names the copy instead.
    /// </summary>
    public const string Throttled = "rolesync-throttled";

    /// <summary>RoleSync's signature over the MessageId and the other <c>rolesync-*</c> properties (<see cref="MessageSignature"/>).</summary>
    public const string Signature = "rolesync-signature";

    /// <summary>
    /// When the queue received the lineage's first message (UTC ticks, long), on retry and replay copies: the change's
    /// effective time stays the original receipt, not the copy's scheduled time.
    /// </summary>
    public const string ReceivedAt = "rolesync-received-at";

    /// <summary>Application property carrying the producer's W3C trace context when sent with the Azure SDK.</summary>
    public const string DiagnosticId = "Diagnostic-Id";

    /// <summary>Service Bus's dead-letter reason, an application property of a dead letter.</summary>
    public const string DeadLetterReason = "DeadLetterReason";

    /// <summary>Service Bus's dead-letter description, an application property of a dead letter.</summary>
    public const string DeadLetterErrorDescription = "DeadLetterErrorDescription";

    /// <summary>Service Bus limit on MessageId.</summary>
    public const int MaxMessageIdLength = 128;

    /// <summary>
    /// MessageId of the copy that makes attempt <paramref name="attempt"/>:
    /// <c>{original}~s{lineageSequenceNumber}~r{attempt}</c>, and <c>~d{deliveryCount}</c> after it when the message
    /// being retried is on its second or later delivery.
    /// </summary>
    /// <remarks>
    /// The sequence number is the one the broker gave the lineage's first message, which no producer can choose: a
    /// tool's resubmission of a message is a lineage of its own and never shares a copy's MessageId with the original.
    /// The same delivery of the same message always derives the same id, so duplicate detection drops the repeat when
    /// the sender's own retry schedules a copy twice. A redelivery derives another id (<c>~d…</c>): the redelivered
    /// message may be the only lineage left (its earlier copy cancelled, see the settler), and duplicate detection
    /// must not drop its copy as a repeat of that cancelled one. Longer than 128 characters: the original is cut and a
    /// hash of it keeps ids distinct.
    /// </remarks>
    public static string RetryMessageId(string originalMessageId, long lineageSequenceNumber, int attempt, int deliveryCount, int throttled = 0)
    {
        var suffix = string.Create(CultureInfo.InvariantCulture, $"~s{lineageSequenceNumber}~r{attempt}");
        if (throttled > 0)
        {
            suffix += string.Create(CultureInfo.InvariantCulture, $"~t{throttled}");
        }
        if (deliveryCount > 1)
        {
            suffix += string.Create(CultureInfo.InvariantCulture, $"~d{deliveryCount}");
        }
        return DeriveMessageId(originalMessageId, suffix);
    }

    /// <summary>
    /// MessageId of the replay of the dead letter with <paramref name="deadLetterMessageId"/> and
    /// <paramref name="deadLetterSequenceNumber"/>: <c>{MessageId}~replay{SequenceNumber}</c>. The broker's sequence
    /// number makes it unique to that dead letter whatever its properties say, and the same for a second replay of the
    /// same dead letter (one whose completion failed), which duplicate detection then drops.
    /// </summary>
    public static string ReplayMessageId(string deadLetterMessageId, long deadLetterSequenceNumber) =>
        DeriveMessageId(deadLetterMessageId, "~replay" + deadLetterSequenceNumber.ToString(CultureInfo.InvariantCulture));

    /// <summary>Whether <paramref name="name"/> is one of RoleSync's own properties (<c>rolesync-*</c>).</summary>
    public static bool IsRoleSyncProperty(string name) => name.StartsWith(Prefix, StringComparison.Ordinal);

    /// <summary>
    /// <c>{original}{suffix}</c> within Service Bus's 128 characters: a longer original is cut and a hash of it keeps
    /// derived ids distinct. Used for retry copies and dead-letter replays.
    /// </summary>
    public static string DeriveMessageId(string originalMessageId, string suffix)
    {
        ArgumentNullException.ThrowIfNull(originalMessageId);
        ArgumentNullException.ThrowIfNull(suffix);
        if (originalMessageId.Length + suffix.Length <= MaxMessageIdLength)
        {
            return originalMessageId + suffix;
        }
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(originalMessageId)))[..16];
        var keep = MaxMessageIdLength - suffix.Length - hash.Length - 1;
        return originalMessageId[..keep] + "~" + hash + suffix;
    }
}
