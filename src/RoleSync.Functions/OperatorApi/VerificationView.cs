using RoleSync.Processing;

namespace RoleSync.Functions.OperatorApi;

/// <summary>
/// The answer of <c>GET /api/memberships/{organizationId}/{userId}/verify</c>: what Clerk holds against the ledger's
/// desired role. <see cref="DesiredAbsent"/>: the desired state is "not a member" (<see cref="DesiredRole"/> is then null).
/// </summary>
public sealed record VerificationView(
    string OrganizationId,
    string UserId,
    VerifyStatus Status,
    string? DesiredRole,
    bool DesiredAbsent,
    string? ClerkRole,
    string? Detail,
    DateTimeOffset CheckedAt)
{
    internal static VerificationView From(string organizationId, string userId, VerifyResult result, DateTimeOffset checkedAt)
    {
        bool absent = result.DesiredRole == Processing.DesiredRole.AbsentRole;
        return new(organizationId, userId, result.Status, absent ? null : result.DesiredRole, absent, result.ClerkRole, result.Failure?.Detail, checkedAt);
    }
}
