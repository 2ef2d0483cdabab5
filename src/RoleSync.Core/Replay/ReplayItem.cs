namespace RoleSync.Replay;

/// <summary>What happened to one selected dead letter.</summary>
public sealed record ReplayItem(
    long SequenceNumber,
    string MessageId,
    string? NewMessageId,
    string? EventId,
    ReplayStatus Status,
    bool Stale,
    string? Detail);
