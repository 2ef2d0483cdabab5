namespace RoleSync.Guard;

/// <summary>
/// One held change: which organization and event, its number among the organization's holds (<see cref="Sequence"/>:
/// the order they arrived in), when it was held, the membership and role it asks for, the message body (enough to
/// re-send it), and the decision once an operator made one.
/// </summary>
public sealed record GuardHold(
    string OrganizationId,
    string EventId,
    long Sequence,
    DateTimeOffset HeldAt,
    string UserId,
    string Role,
    bool Removal,
    string Body,
    GuardDecision Decision = GuardDecision.Held,
    string? DecidedBy = null,
    DateTimeOffset? DecidedAt = null)
{
    /// <summary>The stored version; null for a hold not yet stored.</summary>
    public string? ETag { get; init; }
}
