namespace RoleSync.Guard;

/// <summary>One organization's changes waiting for an operator: how many, the first and last held, and a few of them.</summary>
public sealed record GuardHoldSummary(
    string OrganizationId,
    int Count,
    DateTimeOffset FirstHeldAt,
    DateTimeOffset LastHeldAt,
    DateTimeOffset? HoldingSince,
    IReadOnlyList<GuardHold> Sample);
