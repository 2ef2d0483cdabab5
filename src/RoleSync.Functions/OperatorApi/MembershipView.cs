using RoleSync.Guard;
using RoleSync.Ledger;

namespace RoleSync.Functions.OperatorApi;

/// <summary>
/// The ledger's audit view of one membership (<c>GET /api/memberships/{organizationId}/{userId}</c>), with the changes of
/// it the bulk-change guard holds for an operator (<see cref="Held"/>; empty when none).
/// </summary>
public sealed record MembershipView(
    string OrganizationId,
    string UserId,
    NewestView Newest,
    AppliedView? LastApplied,
    RejectionView? LastRejection,
    bool ClerkStateUnknown,
    IReadOnlyList<HeldChangeView> Held)
{
    internal static MembershipView From(MembershipRecord r, IReadOnlyList<GuardHold> held) => new(
        r.OrganizationId,
        r.UserId,
        new NewestView(r.NewestEventId, r.NewestOccurredAt, r.NewestRole, r.NewestSource, r.NewestRecordedAt, r.NewestApplied, r.NewestRejected),
        r.AppliedEventId is null && r.AppliedRole is null ? null : new AppliedView(r.AppliedEventId, r.AppliedRole, r.AppliedAt),
        r.RejectedEventId is null ? null : new RejectionView(r.RejectedEventId, r.RejectedReason, r.RejectedDetail, r.RejectedAt),
        r.ClerkStateUnknown,
        [.. held.Select(HeldChangeView.From)]);
}
