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
        if (OperatorChecks.Membership(organizationId, userId) is { } invalid)
        {
            return invalid;
        }
        var record = await ledger.GetAsync(organizationId, userId, cancellationToken);
        return record is null
            ? OperatorProblems.UnknownMembership(organizationId, userId)
            : TypedResults.Ok(MembershipView.From(record));
    }
}
