using RoleSync.Contract;

namespace RoleSync.Ledger;

/// <summary>
/// What RoleSync knows about one membership: the newest change seen (the source's latest intent), what was last
/// applied to Clerk, and the last permanent rejection. <see cref="ClerkStateUnknown"/> is set when a worker may have
/// overwritten a newer role in Clerk and could not repair it; the next message for the membership repairs it. One record per (organization, user); it is both the ordering
/// state and the audit trail. <see cref="ETag"/> is the stored version, for optimistic concurrency.
/// </summary>
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
    bool ClerkStateUnknown = false)
{
    /// <summary>The stored version; null for a record not yet stored.</summary>
    public string? ETag { get; init; }

    /// <summary>The newest change has been applied to Clerk (and nothing newer is known).</summary>
    public bool NewestApplied => AppliedEventId == NewestEventId;

    /// <summary>The newest change was permanently rejected by Clerk.</summary>
    public bool NewestRejected => RejectedEventId == NewestEventId;

    public static MembershipRecord NewestFrom(RoleChange change, DateTimeOffset now) =>
        new(change.OrganizationId, change.UserId, change.EventId, change.OccurredAt, change.Role, change.Source, now);

    /// <summary>This record with <paramref name="change"/> as the newest change (applied and rejected facts kept).</summary>
    public MembershipRecord WithNewest(RoleChange change, DateTimeOffset now) => this with
    {
        NewestEventId = change.EventId,
        NewestOccurredAt = change.OccurredAt,
        NewestRole = change.Role,
        NewestSource = change.Source,
        NewestRecordedAt = now,
    };
}
