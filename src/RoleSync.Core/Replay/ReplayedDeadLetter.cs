namespace RoleSync.Replay;

/// <summary>A dead letter a request replayed (recorded so that the same request never sends it again), and its copy's MessageId.</summary>
public sealed record ReplayedDeadLetter(long SequenceNumber, string MessageId, string NewMessageId, string? EventId);
