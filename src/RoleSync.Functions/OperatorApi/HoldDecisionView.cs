using RoleSync.Guard;

namespace RoleSync.Functions.OperatorApi;

/// <summary>
/// The answer of <c>POST /api/holds/{organizationId}/approve</c> and <c>/reject</c>: the decision (<c>approved</c> or
/// <c>rejected</c>), how many held changes it covered and their event ids in the order they were held, who and when.
/// Each takes effect on the change's next delivery (within <c>Guard:RecheckInterval</c>).
/// </summary>
public sealed record HoldDecisionView(string OrganizationId, string Decision, int Count, IReadOnlyList<string> EventIds, string DecidedBy, DateTimeOffset DecidedAt)
{
    public static HoldDecisionView From(GuardDecisionResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        return new(result.OrganizationId, result.Decision == GuardDecision.Approved ? "approved" : "rejected", result.Count, result.EventIds, result.DecidedBy, result.DecidedAt);
    }
}
