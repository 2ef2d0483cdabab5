using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Azure.Functions.Worker;
using RoleSync.Replay;

namespace RoleSync.Functions.OperatorApi;

/// <summary>
/// <c>GET /api/dead-letters/groups</c>: the dead-letter queue counted by reason and by organization within a reason,
/// with oldest/newest enqueued time and the highest sequence number (a snapshot replay's <c>maxSequenceNumber</c>).
/// Peeks at most <see cref="DeadLetterReplayer.MaxScanned"/> dead letters; <c>truncated: true</c> says there were more.
/// </summary>
public sealed class DeadLetterGroupsFunction(DeadLetterGrouper grouper)
{
    public const string Name = "DeadLetterGroups";

    [Function(Name)]
    [RequiresRole(OperatorRoles.Reader)]
    public async Task<Results<Ok<DeadLetterGroupReport>, ProblemHttpResult>> RunAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/dead-letters/groups")] HttpRequest request,
        CancellationToken cancellationToken)
    {
        if (new OperatorQuery(request.Query).Problem("Invalid query") is { } invalid)
        {
            return invalid;
        }
        return TypedResults.Ok(await grouper.GroupAsync(cancellationToken));
    }
}
