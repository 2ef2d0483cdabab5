using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Azure.Functions.Worker;
using RoleSync.Audit;

namespace RoleSync.Functions.OperatorApi;

/// <summary>
/// <c>GET /api/audit?from=&amp;to=&amp;limit=&amp;continuationToken=</c>: the operator action audit, oldest first, of calls
/// received from <c>from</c> (inclusive, RFC 3339; default: a day before <c>to</c>) to <c>to</c> (exclusive; default:
/// now). Page on with <c>continuationToken</c>.
/// </summary>
public sealed class ListAuditFunction(IOperatorAuditLog audit, TimeProvider timeProvider)
{
    public const string Name = "ListAudit";
    public const int DefaultLimit = 100;
    public const int MaxLimit = 1000;

    [Function(Name)]
    [RequiresRole(OperatorRoles.Reader)]
    public async Task<Results<Ok<AuditListResponse>, ProblemHttpResult>> RunAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/audit")] HttpRequest request,
        CancellationToken cancellationToken)
    {
        var query = new OperatorQuery(request.Query);
        var to = query.Time("to") ?? timeProvider.GetUtcNow();
        var from = query.Time("from") ?? to.AddDays(-1);
        var limit = query.Limit(DefaultLimit, MaxLimit);
        var continuationToken = query.ContinuationToken();
        if (continuationToken is not null && !OperatorAuditRecord.IsValidId(continuationToken))
        {
            query.Error(OperatorQuery.InvalidContinuationToken);
        }
        if (from > to)
        {
            query.Error("from: must not be later than to");
        }
        if (query.Problem("Invalid query") is { } invalid)
        {
            return invalid;
        }
        var page = await audit.ListAsync(from, to, limit, continuationToken, cancellationToken);
        return TypedResults.Ok(new AuditListResponse(page.Items, page.ContinuationToken));
    }
}
