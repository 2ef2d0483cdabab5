using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Azure.Functions.Worker;
using RoleSync.Replay;

namespace RoleSync.Functions.OperatorApi;

/// <summary>
/// <c>POST /api/dead-letters/replay</c> with <c>{"sequenceNumbers":[…]}</c> or
/// <c>{"reason":"…","organizationId":"org_…","max":100}</c> (+ <c>"dryRun":true</c>): sends the selected dead letters
/// back to the queue and answers per message. At most 500 per call; <c>more: true</c> says to call again.
/// </summary>
public sealed class ReplayDeadLettersFunction(DeadLetterReplayer replayer)
{
    public const string Name = "ReplayDeadLetters";
    public const int DefaultMax = 100;

    [Function(Name)]
    [RequiresRole(OperatorRoles.Operator)]
    public async Task<Results<Ok<ReplayReport>, ProblemHttpResult>> RunAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "dead-letters/replay")] HttpRequest request,
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
        var report = await replayer.ReplayAsync(replay.ToSelection(DefaultMax), replay.DryRun ?? false, OperatorRequest.Caller(request), cancellationToken);
        return TypedResults.Ok(report);
    }
}
