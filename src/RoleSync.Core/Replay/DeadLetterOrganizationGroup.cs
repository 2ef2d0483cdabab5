namespace RoleSync.Replay;

/// <summary>
/// The dead letters of one reason in one organization (<see cref="OrganizationId"/> null: bodies without a readable
/// organization, e.g. <c>InvalidMessage</c>).
/// </summary>
public sealed record DeadLetterOrganizationGroup(
    string? OrganizationId, int Count, DateTimeOffset OldestEnqueuedTime, DateTimeOffset NewestEnqueuedTime, long MaxSequenceNumber);
