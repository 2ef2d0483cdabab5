using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Azure.Functions.Worker;
using RoleSync.Replay;

namespace RoleSync.Functions.OperatorApi;

/// <summary>
/// <c>POST /api/dead-letters/replay</c> with <c>{"sequenceNumbers":[…]}</c> or a snapshot
/// <c>{"requestId":"…","reason":"…","organizationId":"org_…","maxSequenceNumber":N,"max":100}</c> (+ <c>"dryRun":true</c>):
/// sends the selected dead letters back to the queue and answers per message. At most 500 per call; <c>more: true</c>
/// says to send the same request again. A request id is idempotent (<see cref="IdempotentReplayer"/>): a repeat sends
/// nothing twice; the same id with another selection is a 409 problem.
/// </summary>
public sealed class ReplayDeadLettersFunction(IdempotentReplayer replayer)
{
    public const string Name = "ReplayDeadLetters";
    public const int DefaultMax = 100;

    [Function(Name)]
    [RequiresRole(OperatorRoles.Operator)]
    public async Task<Results<Ok<ReplayReport>, ProblemHttpResult>> RunAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/dead-letters/replay")] HttpRequest request,
        CancellationToken cancellationToken)
    {
        var (replay, problem) = await OperatorRequest.ReadJsonAsync(request, OperatorJson.Default.ReplayRequest, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }
        if (OperatorProblems.Invalid("Invalid replay request", replay!.Validate()) is { } refused)
        {
            return refused;
        }
        var result = await replayer.ReplayAsync(replay.RequestId, replay.ToSelection(DefaultMax), replay.DryRun ?? false, OperatorRequest.Caller(request), cancellationToken);
        return result.Conflict is { } earlier
            ? OperatorProblems.Problem(StatusCodes.Status409Conflict, "Request id already used",
                $"requestId {replay.RequestId} was recorded for another selection ({earlier.Fingerprint}) by {earlier.Caller} at {earlier.RecordedAt:O}; use a new requestId for a new selection.",
                new Dictionary<string, object?> { ["requestId"] = replay.RequestId })
            : TypedResults.Ok(result.Report!);
    }
}
