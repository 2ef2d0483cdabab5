using RoleSync.Contract;

namespace RoleSync.Ledger;

/// <summary>
/// What RoleSync knows about one membership: the newest change seen (the source's latest intent), the newest change
/// Clerk accepted (the "applied" fields), and the last permanent rejection. <see cref="ClerkStateUnknown"/> is set when
/// Clerk may hold another role than the ledger says (a PATCH whose answer was lost, a repair that failed); the next
/// message for the membership and the reconciler verify it. One record per (organization, user); it is both the
/// ordering state and the audit trail. <see cref="ETag"/> is the stored version, for optimistic concurrency.
/// </summary>
/// <remarks>
/// Changes are ordered by their effective time (<see cref="RoleChange.EffectiveAt"/>), kept in
/// <see cref="NewestEffectiveAt"/> and <see cref="AppliedEffectiveAt"/>; records written before effective times existed
/// have null there and are ordered by occurredAt.
/// Contract 1.1: <see cref="NewestAction"/> and <see cref="AppliedAction"/> say whether those changes set a role or
/// removed the membership (a removal's role is empty; records written before 1.1 read as set-role), and
/// <see cref="ExternalId"/>, <see cref="EmailAddress"/> and <see cref="UserResolvedAt"/> record how the user was last
/// named and when it was resolved to <see cref="UserId"/>, so a later message for the same person needs no lookup.
/// </remarks>
public sealed record MembershipRecord(
    string OrganizationId,
    string UserId,
    string NewestEventId,
    DateTimeOffset NewestOccurredAt,
    string NewestRole,
    string? NewestSource,
    DateTimeOffset NewestRecordedAt,
    string? AppliedEventId = null,
    string? AppliedRole = null,
    DateTimeOffset? AppliedAt = null,
    string? RejectedEventId = null,
    string? RejectedReason = null,
    string? RejectedDetail = null,
    DateTimeOffset? RejectedAt = null,
    bool ClerkStateUnknown = false,
    DateTimeOffset? NewestEffectiveAt = null,
    DateTimeOffset? AppliedEffectiveAt = null,
    DateTimeOffset? RepairedAt = null,
    int RepairCount = 0,
    RoleChangeAction NewestAction = RoleChangeAction.SetRole,
    RoleChangeAction AppliedAction = RoleChangeAction.SetRole,
    string? ExternalId = null,
    string? EmailAddress = null,
    DateTimeOffset? UserResolvedAt = null)
{
    /// <summary>The stored version; null for a record not yet stored.</summary>
    public string? ETag { get; init; }

    /// <summary>The newest change has been applied to Clerk (and nothing newer is known).</summary>
    public bool NewestApplied => AppliedEventId == NewestEventId;

    /// <summary>The newest change was permanently rejected by Clerk.</summary>
    public bool NewestRejected => RejectedEventId == NewestEventId;

    /// <summary>The time the newest change is ordered by.</summary>
    public DateTimeOffset NewestOrderAt => NewestEffectiveAt ?? NewestOccurredAt;

    public static MembershipRecord NewestFrom(RoleChange change, DateTimeOffset now) =>
        new MembershipRecord(change.OrganizationId, change.UserId, change.EventId, change.OccurredAt, change.Role, change.Source, now,
            NewestEffectiveAt: change.EffectiveAt, NewestAction: change.Action).WithIdentifiers(change, now);

    /// <summary>This record with <paramref name="change"/> as the newest change (applied and rejected facts kept).</summary>
    public MembershipRecord WithNewest(RoleChange change, DateTimeOffset now) => (this with
    {
        NewestEventId = change.EventId,
        NewestOccurredAt = change.OccurredAt,
        NewestEffectiveAt = change.EffectiveAt,
        NewestRole = change.Role,
        NewestAction = change.Action,
        NewestSource = change.Source,
        NewestRecordedAt = now,
    }).WithIdentifiers(change, now);

    /// <summary>This record with the identifier <paramref name="change"/> named the user by, when it was resolved (kept otherwise).</summary>
    private MembershipRecord WithIdentifiers(RoleChange change, DateTimeOffset now) => change switch
    {
        { ExternalId: { } external } => this with { ExternalId = external, UserResolvedAt = now },
        { EmailAddress: { } email } => this with { EmailAddress = email.ToLowerInvariant(), UserResolvedAt = now },
        _ => this,
    };

    /// <summary>
    /// This record after Clerk accepted <paramref name="change"/>: it becomes the applied change when it is newer than
    /// the applied one (the applied fields always name the newest change Clerk accepted), its rejection (a replay
    /// after a fix) is cleared, and Clerk's state is known again.
    /// </summary>
    public MembershipRecord WithAccepted(RoleChange change, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(change);
        var record = this with { ClerkStateUnknown = false };
        if (RejectedEventId == change.EventId)
        {
            record = record with { RejectedEventId = null, RejectedReason = null, RejectedDetail = null, RejectedAt = null };
        }
        bool newer = AppliedEventId is null || AppliedEventId == change.EventId
            || change.IsNewerThan(AppliedEffectiveAt ?? DateTimeOffset.MinValue, AppliedEventId);
        return newer
            ? record with { AppliedEventId = change.EventId, AppliedRole = change.Role, AppliedAction = change.Action, AppliedAt = now, AppliedEffectiveAt = change.EffectiveAt }
            : record;
    }

    /// <summary>This record after Clerk permanently rejected <paramref name="change"/>.</summary>
    public MembershipRecord WithRejected(RoleChange change, string? reason, string? detail, DateTimeOffset now) =>
        this with { RejectedEventId = change.EventId, RejectedReason = reason, RejectedDetail = detail, RejectedAt = now };

    /// <summary>This record after verification put Clerk back on its desired role (<paramref name="repaired"/>) or found it there.</summary>
    public MembershipRecord WithVerified(bool repaired, DateTimeOffset now) => repaired
        ? this with { ClerkStateUnknown = false, RepairedAt = now, RepairCount = RepairCount + 1 }
        : this with { ClerkStateUnknown = false };

    /// <summary>The newest change as a <see cref="RoleChange"/> (for applying it on behalf of its message).</summary>
    public RoleChange NewestChange() =>
        new(NewestEventId, NewestOccurredAt, OrganizationId, UserId, NewestRole, NewestSource, null) { ReceivedAt = NewestOrderAt, Action = NewestAction };

    /// <summary>The newest accepted change as a <see cref="RoleChange"/>; null when Clerk accepted none yet.</summary>
    public RoleChange? AcceptedChange() => AppliedEventId is { } id && AppliedRole is { } role
        ? new(id, AppliedEffectiveAt ?? DateTimeOffset.MinValue, OrganizationId, UserId, role, null, null) { Action = AppliedAction }
        : null;
}
