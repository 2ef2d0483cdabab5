using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Azure.Functions.Worker;
using RoleSync.Contract;
using RoleSync.Ledger;
using RoleSync.Lifecycle;
using RoleSync.Processing;

namespace RoleSync.Functions.OperatorApi;

/// <summary>
/// <c>GET /api/memberships/lookup?organizationId=…&amp;userId=…|externalId=…|emailAddress=…</c> (<see cref="OperatorRoles.Reader"/>):
/// the membership named by the identifiers HR systems use, resolved by exactly the rule a change is resolved by
/// (<see cref="UserResolver"/>: its cache, a ledger record that named the user so within <c>Users:CacheDuration</c>,
/// else read-only <c>GET /v1/users</c>); <c>resolvedBy</c> says which answered. 404
/// <c>UserNotFound</c>, 409 <c>AmbiguousUser</c> with the matching user ids, 503 + Retry-After when Clerk failed.
/// </summary>
public sealed class LookupMembershipFunction(IMembershipLedger ledger, UserResolver resolver, TimeProvider timeProvider)
{
    public const string Name = "LookupMembership";

    [Function(Name)]
    [RequiresRole(OperatorRoles.Reader)]
    public async Task<Results<Ok<LookupView>, ProblemHttpResult>> RunAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/memberships/lookup")] HttpRequest request,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var query = new OperatorQuery(request.Query);
        var organizationId = query.OrganizationId();
        var userId = query.UserId();
        var externalId = query.ExternalId();
        var emailAddress = query.EmailAddress();
        if (organizationId is null)
        {
            query.Error("organizationId: is required");
        }
        var given = new[] { ("userId", userId), ("externalId", externalId), ("emailAddress", emailAddress) }.Where(f => f.Item2 is not null).Select(f => f.Item1).ToList();
        if (given.Count != 1)
        {
            query.Error($"userId, externalId, emailAddress: exactly one is required, not {(given.Count == 0 ? "none" : string.Join(" and ", given))}");
        }
        if (query.Problem("Invalid lookup") is { } invalid)
        {
            return invalid;
        }

        var resolved = await resolver.ResolveAsync(
            new RoleChange("lookup", timeProvider.GetUtcNow(), organizationId!, UserId: userId ?? "", Role: "", Source: null, Reason: null) { ExternalId = externalId, EmailAddress = emailAddress },
            cancellationToken);
        if (resolved.Change is { } change)
        {
            return TypedResults.Ok(new LookupView(organizationId!, change.UserId, resolved.UserFrom,
                await ledger.GetAsync(organizationId!, change.UserId, cancellationToken) is not null));
        }
        var result = resolved.Result!;
        return result.Reason switch
        {
            Reasons.UserNotFound => OperatorProblems.Problem(StatusCodes.Status404NotFound, "User not found", result.Detail ?? "",
                new Dictionary<string, object?> { ["reason"] = result.Reason }),
            Reasons.AmbiguousUser => OperatorProblems.Problem(StatusCodes.Status409Conflict, "Ambiguous user", result.Detail ?? "",
                new Dictionary<string, object?> { ["reason"] = result.Reason, ["userIds"] = resolved.Matches?.ToArray() ?? [] }),
            _ => ApplyAnswer.ProblemFor(result, request.HttpContext.Response)!,
        };
    }
}
