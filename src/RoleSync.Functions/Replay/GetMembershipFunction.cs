using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using RoleSync.Ledger;

namespace RoleSync.Functions.Replay;

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
        OperatorApi.CheckId(organizationId, "org_", "organizationId", errors);
        OperatorApi.CheckId(userId, "user_", "userId", errors);
        if (OperatorApi.Invalid("Invalid membership", errors) is { } invalid)
        {
            return invalid;
        }
        var record = await ledger.GetAsync(organizationId, userId, cancellationToken);
        return record is null
            ? OperatorApi.Problem(404, "Unknown membership", $"RoleSync has no record of {userId} in {organizationId}: no change for it was ever processed.")
            : OperatorApi.Json(200, MembershipView.From(record), OperatorJson.Default.MembershipView);
    }
}
