using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Azure.Functions.Worker;
using RoleSync.Guard;

namespace RoleSync.Functions.OperatorApi;

/// <summary><c>POST /api/holds/{organizationId}/reject</c> (<see cref="OperatorRoles.Operator"/>, audited): dead-letters every held change of the organization with reason <c>RejectedByOperator</c>, the operator named in the description (each on its next delivery).</summary>
public sealed class RejectHoldsFunction(GuardHolds holds)
{
    public const string Name = "RejectHolds";

    [Function(Name)]
    [RequiresRole(OperatorRoles.Operator)]
    public Task<Results<Ok<HoldDecisionView>, ProblemHttpResult>> RunAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/holds/{organizationId}/reject")] HttpRequest request,
        string organizationId,
        CancellationToken cancellationToken) =>
        HoldDecisionEndpoint.DecideAsync(holds, request, organizationId, GuardDecision.Rejected, cancellationToken);
}
