using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace RoleSync.Messaging;

/// <summary>
/// Every application property RoleSync reads or puts on messages it schedules again, dead-letters or replays, and the
/// pure helpers that read and derive them. Names are stable: operators filter dead-letter queues by them.
/// </summary>
public static class MessageProperties
{
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

    /// <summary>Application property carrying the producer's W3C trace context when sent with the Azure SDK.</summary>
    public const string DiagnosticId = "Diagnostic-Id";

    /// <summary>Service Bus's dead-letter reason, an application property of a dead letter.</summary>
    public const string DeadLetterReason = "DeadLetterReason";

    /// <summary>Service Bus's dead-letter description, an application property of a dead letter.</summary>
    public const string DeadLetterErrorDescription = "DeadLetterErrorDescription";

    /// <summary>Service Bus limit on MessageId.</summary>
    public const int MaxMessageIdLength = 128;

    /// <summary>The attempt number in <paramref name="properties"/>; 1 when absent or unreadable.</summary>
    public static int ReadAttempt(IReadOnlyDictionary<string, object> properties)
    {
        ArgumentNullException.ThrowIfNull(properties);
        long attempt = properties.TryGetValue(Attempt, out var value) ? value switch
        {
            int i => i,
            long l => l,
            string s when long.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out var parsed) => parsed,
            _ => 1,
        } : 1;
        return attempt is >= 1 and <= int.MaxValue ? (int)attempt : 1;
    }

    /// <summary>The MessageId the producer gave: <see cref="RetryOf"/> on a retry copy, else <paramref name="messageId"/>.</summary>
    public static string OriginalMessageId(string messageId, IReadOnlyDictionary<string, object> properties)
    {
        ArgumentNullException.ThrowIfNull(properties);
        return properties.TryGetValue(RetryOf, out var value) && value is string { Length: > 0 } original ? original : messageId;
    }

    /// <summary>
    /// MessageId of the copy that makes attempt <paramref name="attempt"/>: <c>{original}~r{attempt}</c>, so duplicate
    /// detection never mistakes it for the original, yet drops a second copy of the same attempt (scheduled again
    /// after a redelivery). Longer than 128 characters: the original is cut and a hash of it keeps ids distinct.
    /// </summary>
    public static string RetryMessageId(string originalMessageId, int attempt) =>
        DeriveMessageId(originalMessageId, "~r" + attempt.ToString(CultureInfo.InvariantCulture));

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
