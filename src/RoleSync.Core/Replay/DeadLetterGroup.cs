namespace RoleSync.Replay;

/// <summary>
/// The dead letters with one dead-letter reason: how many, enqueued when, the highest sequence number (what a snapshot
/// replay names as <c>maxSequenceNumber</c>), and the same per organization, largest first.
/// </summary>
public sealed record DeadLetterGroup(
    string? Reason,
    int Count,
    DateTimeOffset OldestEnqueuedTime,
    DateTimeOffset NewestEnqueuedTime,
    long MaxSequenceNumber,
    IReadOnlyList<DeadLetterOrganizationGroup> Organizations);
