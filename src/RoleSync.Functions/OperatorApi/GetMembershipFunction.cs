using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Azure.Functions.Worker;
using RoleSync.Guard;
using RoleSync.Ledger;

namespace RoleSync.Functions.OperatorApi;

/// <summary>
/// <c>GET /api/memberships/{organizationId}/{userId}</c>: the ledger's audit view (newest change, last applied, last
/// rejection) and the membership's changes held by the bulk-change guard. A membership whose only change is held has no
/// ledger record yet (a hold is not an accepted change): 404, naming the held changes.
/// </summary>
public sealed class GetMembershipFunction(IMembershipLedger ledger, GuardHolds holds)
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
        var held = await holds.WaitingAsync(organizationId, userId, cancellationToken);
        if (record is not null)
        {
            return TypedResults.Ok(MembershipView.From(record, held));
        }
        return held.Count == 0
            ? OperatorProblems.UnknownMembership(organizationId, userId)
            : OperatorProblems.Problem(StatusCodes.Status404NotFound, "Unknown membership",
                $"RoleSync has no record of {userId} in {organizationId} yet: its {held.Count} change(s) ({string.Join(", ", held.Select(h => h.EventId))}) are held by the bulk-change guard for an operator (GET /api/holds).");
    }
}
