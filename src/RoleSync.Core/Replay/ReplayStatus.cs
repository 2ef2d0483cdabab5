using System.Text.Json.Serialization;

namespace RoleSync.Replay;

/// <summary>
/// What happened to one selected dead letter. In JSON: <c>replayed</c>, <c>would-replay</c>, <c>failed</c>,
/// <c>not-found</c>, <c>retry-later</c>, <c>already-replayed</c>.
/// </summary>
[JsonConverter(typeof(KebabCaseEnumConverter<ReplayStatus>))]
public enum ReplayStatus
{
    /// <summary>Sent back to the queue and completed in the dead-letter queue.</summary>
    Replayed,
    /// <summary>Dry run: would be sent back.</summary>
    WouldReplay,
    /// <summary>The resend failed (the detail says why); the dead letter stays.</summary>
    Failed,
    /// <summary>No dead letter has the requested sequence number.</summary>
    NotFound,
    /// <summary>
    /// The dead letter is there but its lock was lost (expired while the call worked, or held by another receiver)
    /// before it could be sent and completed; it stays in the dead-letter queue. Send the same request again.
    /// </summary>
    RetryLater,
    /// <summary>Replayed by an earlier call with the same request id; not sent again.</summary>
    AlreadyReplayed,
}
