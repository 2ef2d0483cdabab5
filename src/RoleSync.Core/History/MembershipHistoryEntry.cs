using RoleSync.Processing;

namespace RoleSync.History;

/// <summary>
/// One line of a membership's history: a change RoleSync saw and what became of it, or a repair. Entries are
/// append-only; <see cref="IMembershipHistory"/> lists them newest first (by <see cref="EffectiveAt"/>).
/// </summary>
/// <param name="OrganizationId">The membership's organization.</param>
/// <param name="UserId">The membership's user.</param>
/// <param name="EventId">The change's event id (a repair: the id of the change whose role was put back).</param>
/// <param name="OccurredAt">The change's <c>occurredAt</c>.</param>
/// <param name="EffectiveAt">The time the change is ordered by (min(occurredAt, received)); a repair: when it happened.</param>
/// <param name="Role">The change's role (a repair: the role put back).</param>
/// <param name="Source">The change's <c>source</c>.</param>
/// <param name="ChangeReason">The change's own <c>reason</c> ("promotion").</param>
/// <param name="Outcome">What became of it.</param>
/// <param name="Reason">Why (rejected, retried): a stable reason code (<see cref="Reasons"/>).</param>
/// <param name="SupersededBy">Stale: the event id of the newer change.</param>
/// <param name="Detail">One human-readable line (verification, Clerk's answer).</param>
/// <param name="RecordedAt">When RoleSync wrote the entry.</param>
/// <param name="EntryPoint">Through which door the change came.</param>
/// <param name="Principal">Who submitted it, when known (an operator).</param>
/// <param name="Attempt">Which attempt of its message.</param>
public sealed record MembershipHistoryEntry(
    string OrganizationId,
    string UserId,
    string EventId,
    DateTimeOffset? OccurredAt,
    DateTimeOffset EffectiveAt,
    string? Role,
    string? Source,
    string? ChangeReason,
    HistoryOutcome Outcome,
    string? Reason,
    string? SupersededBy,
    string? Detail,
    DateTimeOffset RecordedAt,
    EntryPoint EntryPoint,
    string? Principal,
    int Attempt = 1);
