namespace RoleSync.Contract;

/// <summary>
/// One validated role change: "in <see cref="OrganizationId"/>, <see cref="UserId"/> should hold <see cref="Role"/>,
/// as decided at <see cref="OccurredAt"/>". Only <see cref="RoleChangeParser"/> creates these, so every instance is valid.
/// </summary>
public sealed record RoleChange(
    string EventId,
    DateTimeOffset OccurredAt,
    string OrganizationId,
    string UserId,
    string Role,
    string? Source,
    string? Reason)
{
    /// <summary>
    /// When RoleSync received the change: the queue's enqueued time of the message, or, for the CLI and the operator
    /// API, the moment RoleSync read it. Null until an entry point sets it.
    /// </summary>
    public DateTimeOffset? ReceivedAt { get; init; }

    /// <summary>
    /// The time the change is ordered by: min(<see cref="OccurredAt"/>, <see cref="ReceivedAt"/>). A producer's clock
    /// running ahead cannot make a change look newer than the moment it reached RoleSync, so a change stamped in the
    /// future does not suppress the real changes that follow it.
    /// </summary>
    public DateTimeOffset EffectiveAt => ReceivedAt is { } received && received < OccurredAt ? received : OccurredAt;

    /// <summary>
    /// True when this change is newer than the change identified by (<paramref name="otherEffectiveAt"/>,
    /// <paramref name="otherEventId"/>): a later <see cref="EffectiveAt"/>, or the same instant and an ordinally
    /// greater <see cref="EventId"/>. Every pair of distinct changes is ordered.
    /// </summary>
    public bool IsNewerThan(DateTimeOffset otherEffectiveAt, string otherEventId)
    {
        var byTime = EffectiveAt.UtcTicks.CompareTo(otherEffectiveAt.UtcTicks);
        return byTime > 0 || (byTime == 0 && string.CompareOrdinal(EventId, otherEventId) > 0);
    }

    /// <summary>What makes two changes with one eventId the same change: membership, role and occurredAt, as one line.</summary>
    public string Content => $"{OrganizationId}/{UserId} {Role} occurredAt {OccurredAt.UtcDateTime:O}";
}
