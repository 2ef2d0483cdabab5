using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Azure.Functions.Worker;
using RoleSync.Replay;

namespace RoleSync.Functions.OperatorApi;

/// <summary>
/// <c>GET /api/dead-letters?reason=&amp;organizationId=&amp;limit=&amp;fromSequenceNumber=</c>: peeks the dead-letter
/// sub-queue (no locks, nothing removed). Page on with <c>nextSequenceNumber</c>.
/// </summary>
public sealed class ListDeadLettersFunction(DeadLetterReplayer replayer)
{
    public const string Name = "ListDeadLetters";
    public const int DefaultLimit = 50;

    [Function(Name)]
    [RequiresRole(OperatorRoles.Reader)]
    public async Task<Results<Ok<DeadLetterListResponse>, ProblemHttpResult>> RunAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/dead-letters")] HttpRequest request,
        CancellationToken cancellationToken)
    {
        var query = new OperatorQuery(request.Query);
        var reason = query.Reason();
        var organizationId = query.OrganizationId();
        var limit = query.Limit(DefaultLimit, DeadLetterReplayer.MaxPerCall);
        var from = query.FromSequenceNumber();
        if (query.Problem("Invalid query") is { } invalid)
        {
            return invalid;
        }

        var page = await replayer.ListAsync(reason, organizationId, limit, from, cancellationToken);
        return TypedResults.Ok(new DeadLetterListResponse(page.Items, page.NextSequenceNumber));
    }
}
