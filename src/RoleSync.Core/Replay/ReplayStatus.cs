using System.Text.Json.Serialization;

namespace RoleSync.Replay;

/// <summary>What happened to one selected dead letter. In JSON: <c>replayed</c>, <c>would-replay</c>, <c>failed</c>, <c>not-found</c>.</summary>
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
}
