using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Azure.Functions.Worker;
using RoleSync.Ledger;
using RoleSync.Processing;

namespace RoleSync.Functions.OperatorApi;

/// <summary>
/// <c>GET /api/memberships/{organizationId}/{userId}/verify</c> (<see cref="OperatorRoles.Reader"/>): reads Clerk now and
/// compares it with the ledger's desired role (<see cref="MembershipConverger.VerifyAsync(MembershipRecord, bool, CancellationToken)"/>
/// without repair: nothing is written to Clerk). A Clerk failure is 200 with <c>status: failed</c> and its detail.
/// </summary>
public sealed class VerifyMembershipFunction(IMembershipLedger ledger, MembershipConverger converger, TimeProvider timeProvider)
{
    public const string Name = "VerifyMembership";

    [Function(Name)]
    [RequiresRole(OperatorRoles.Reader)]
    public async Task<Results<Ok<VerificationView>, ProblemHttpResult>> RunAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/memberships/{organizationId}/{userId}/verify")] HttpRequest request,
        string organizationId,
        string userId,
        CancellationToken cancellationToken)
    {
        if (OperatorChecks.Membership(organizationId, userId) is { } invalid)
        {
            return invalid;
        }
        if (await ledger.GetAsync(organizationId, userId, cancellationToken) is not { } record)
        {
            return OperatorProblems.UnknownMembership(organizationId, userId);
        }
        var result = await converger.VerifyAsync(record, repair: false, cancellationToken); // the record just read: no second ledger read
        return TypedResults.Ok(VerificationView.From(organizationId, userId, result, timeProvider.GetUtcNow()));
    }
}
