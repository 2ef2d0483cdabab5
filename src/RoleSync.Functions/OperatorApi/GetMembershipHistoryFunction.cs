using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Azure.Functions.Worker;
using RoleSync.History;

namespace RoleSync.Functions.OperatorApi;

/// <summary>
/// <c>GET /api/memberships/{organizationId}/{userId}/history?limit=&amp;continuationToken=</c>: the membership's history,
/// newest first — every change RoleSync saw, what became of it, through which entry point and by whom. An unknown
/// membership has an empty history.
/// </summary>
public sealed class GetMembershipHistoryFunction(IMembershipHistory history)
{
    public const string Name = "GetMembershipHistory";
    public const int DefaultLimit = 50;
    public const int MaxLimit = 500;

    /// <summary>The path of a membership's history (the <c>Location</c> of a submitted change).</summary>
    public static string Location(string organizationId, string userId) => $"/api/memberships/{organizationId}/{userId}/history";

    [Function(Name)]
    [RequiresRole(OperatorRoles.Reader)]
    public async Task<Results<Ok<MembershipHistoryResponse>, ProblemHttpResult>> RunAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/memberships/{organizationId}/{userId}/history")] HttpRequest request,
        string organizationId,
        string userId,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var query = new OperatorQuery(request.Query);
        var limit = query.Limit(DefaultLimit, MaxLimit);
        var token = query.ContinuationToken();
        if (OperatorChecks.Membership(organizationId, userId) is { } invalid)
        {
            return invalid;
        }
        if (query.Problem("Invalid query") is { } badQuery)
        {
            return badQuery;
        }
        MembershipHistoryPage page;
        try
        {
            page = await history.ListAsync(organizationId, userId, limit, token, cancellationToken);
        }
        catch (Exception ex) when (token is not null && ex is ArgumentException or FormatException or Azure.RequestFailedException { Status: 400 })
        {
            return OperatorProblems.Invalid("Invalid query", [OperatorQuery.InvalidContinuationToken])!;
        }
        return TypedResults.Ok(new MembershipHistoryResponse(organizationId, userId, page.Entries, page.ContinuationToken));
    }
}
