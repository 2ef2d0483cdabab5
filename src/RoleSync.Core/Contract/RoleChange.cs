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
    /// True when this change is newer than the change identified by (<paramref name="otherOccurredAt"/>, <paramref name="otherEventId"/>): a later <see cref="OccurredAt"/>, or the same
    /// instant and an ordinally greater <see cref="EventId"/>. Every pair of distinct changes is ordered.
    /// </summary>
    public bool IsNewerThan(DateTimeOffset otherOccurredAt, string otherEventId)
    {
        var byTime = OccurredAt.UtcTicks.CompareTo(otherOccurredAt.UtcTicks);
        return byTime > 0 || (byTime == 0 && string.CompareOrdinal(EventId, otherEventId) > 0);
    }
}
