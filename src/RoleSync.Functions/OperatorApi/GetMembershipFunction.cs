using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Azure.Functions.Worker;
using RoleSync.Ledger;

namespace RoleSync.Functions.OperatorApi;

/// <summary><c>GET /api/memberships/{organizationId}/{userId}</c>: the ledger's audit view (newest change, last applied, last rejection).</summary>
public sealed class GetMembershipFunction(IMembershipLedger ledger)
{
    public const string Name = "GetMembership";

    [Function(Name)]
    [RequiresRole(OperatorRoles.Reader)]
    public async Task<Results<Ok<MembershipView>, ProblemHttpResult>> RunAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/memberships/{organizationId}/{userId}")] HttpRequest request,
        string organizationId,
        string userId,
        CancellationToken cancellationToken)
    {
        var errors = new List<string>();
        OperatorChecks.Id(organizationId, "org_", "organizationId", errors);
        OperatorChecks.Id(userId, "user_", "userId", errors);
        if (OperatorProblems.Invalid("Invalid membership", errors) is { } invalid)
        {
            return invalid;
        }
        var record = await ledger.GetAsync(organizationId, userId, cancellationToken);
        return record is null
            ? OperatorProblems.Problem(StatusCodes.Status404NotFound, "Unknown membership", $"RoleSync has no record of {userId} in {organizationId}: no change for it was ever processed.")
            : TypedResults.Ok(MembershipView.From(record));
    }
}
