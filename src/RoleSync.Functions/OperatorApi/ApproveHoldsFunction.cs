using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Azure.Functions.Worker;
using RoleSync.Guard;

namespace RoleSync.Functions.OperatorApi;

/// <summary><c>POST /api/holds/{organizationId}/approve</c> (<see cref="OperatorRoles.Operator"/>, audited): releases every held change of the organization into normal processing, in the order they were held (each on its next delivery; not counted again).</summary>
public sealed class ApproveHoldsFunction(GuardHolds holds)
{
    public const string Name = "ApproveHolds";

    [Function(Name)]
    [RequiresRole(OperatorRoles.Operator)]
    public Task<Results<Ok<HoldDecisionView>, ProblemHttpResult>> RunAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/holds/{organizationId}/approve")] HttpRequest request,
        string organizationId,
        CancellationToken cancellationToken) =>
        HoldDecisionEndpoint.DecideAsync(holds, request, organizationId, GuardDecision.Approved, cancellationToken);
}
