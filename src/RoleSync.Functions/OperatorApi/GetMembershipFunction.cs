using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using RoleSync.Ledger;

namespace RoleSync.Functions.OperatorApi;

/// <summary><c>GET /api/memberships/{organizationId}/{userId}</c>: the ledger's audit view (newest change, last applied, last rejection).</summary>
public sealed class GetMembershipFunction(IMembershipLedger ledger)
{
    public const string Name = "GetMembership";

    [Function(Name)]
    public async Task<IActionResult> RunAsync(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "memberships/{organizationId}/{userId}")] HttpRequest request,
        string organizationId,
        string userId,
        CancellationToken cancellationToken)
    {
        var errors = new List<string>();
        OperatorHttp.CheckId(organizationId, "org_", "organizationId", errors);
        OperatorHttp.CheckId(userId, "user_", "userId", errors);
        if (OperatorHttp.Invalid("Invalid membership", errors) is { } invalid)
        {
            return invalid;
        }
        var record = await ledger.GetAsync(organizationId, userId, cancellationToken);
        return record is null
            ? OperatorHttp.Problem(404, "Unknown membership", $"RoleSync has no record of {userId} in {organizationId}: no change for it was ever processed.")
            : OperatorHttp.Json(200, MembershipView.From(record), OperatorJson.Default.MembershipView);
    }
}
