using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using RoleSync.Guard;

namespace RoleSync.Functions.OperatorApi;

/// <summary>The body of <see cref="ApproveHoldsFunction"/> and <see cref="RejectHoldsFunction"/>: the organization id checked, the decision made as the caller.</summary>
internal static class HoldDecisionEndpoint
{
    public static async Task<Results<Ok<HoldDecisionView>, ProblemHttpResult>> DecideAsync(
        GuardHolds holds, HttpRequest request, string organizationId, GuardDecision decision, CancellationToken cancellationToken)
    {
        var errors = new List<string>();
        OperatorChecks.Id(organizationId, "org_", "organizationId", errors);
        if (OperatorProblems.Invalid("Invalid organization", errors) is { } invalid)
        {
            return invalid;
        }
        var caller = OperatorRequest.Caller(request);
        var result = decision == GuardDecision.Approved
            ? await holds.ApproveAsync(organizationId, caller, cancellationToken).ConfigureAwait(false)
            : await holds.RejectAsync(organizationId, caller, cancellationToken).ConfigureAwait(false);
        return TypedResults.Ok(HoldDecisionView.From(result));
    }
}
