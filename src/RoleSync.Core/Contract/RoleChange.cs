namespace RoleSync.Contract;

/// <summary>
/// One validated role change: "in <see cref="OrganizationId"/>, the user should hold <see cref="Role"/> (or, for
/// <see cref="RoleChangeAction.Remove"/>, not be a member), as decided at <see cref="OccurredAt"/>". Only
/// <see cref="RoleChangeParser"/> creates these from messages, so every instance is valid.
/// </summary>
/// <remarks>
/// Contract 1.1 names the user by exactly one of <see cref="UserId"/>, <see cref="ExternalId"/> or
/// <see cref="EmailAddress"/>. For a message by external id or email address, <see cref="UserId"/> is empty until the
/// processor resolves the Clerk user (<see cref="IsResolved"/>). <see cref="Role"/> is empty for a removal, and may be an
/// HR role name (not an <c>org:</c> key) when a role mapping is configured, until the processor maps it.
/// </remarks>
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

    /// <summary>What the change asks for; <see cref="RoleChangeAction.SetRole"/> unless the message says <c>remove</c>.</summary>
    public RoleChangeAction Action { get; init; }

    /// <summary>The user's Clerk <c>external_id</c> (the HR system's id), when the message names the user by it.</summary>
    public string? ExternalId { get; init; }

    /// <summary>The user's email address, when the message names the user by it (compared case-insensitively).</summary>
    public string? EmailAddress { get; init; }

    /// <summary>True when <see cref="UserId"/> is known (given by the message or resolved).</summary>
    public bool IsResolved => UserId.Length > 0;

    /// <summary>True for <see cref="RoleChangeAction.Remove"/>.</summary>
    public bool IsRemoval => Action == RoleChangeAction.Remove;

    /// <summary>How the message names the user: the user id, or <c>externalId:…</c> / <c>emailAddress:…</c>.</summary>
    public string Subject => ExternalId is { } external ? $"externalId:{external}"
        : EmailAddress is { } email ? $"emailAddress:{email}"
        : UserId;

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

    /// <summary>
    /// What makes two changes with one eventId the same change: membership (as the message names the user), role (or
    /// "remove") and occurredAt, as one line. A 1.0 message's content is what it always was.
    /// </summary>
    public string Content => $"{OrganizationId}/{Subject} {(IsRemoval ? "remove" : Role)} occurredAt {OccurredAt.UtcDateTime:O}";
}
