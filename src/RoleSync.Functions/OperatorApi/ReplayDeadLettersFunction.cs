using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
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
    public async Task<IActionResult> RunAsync(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "dead-letters/replay")] HttpRequest request,
        CancellationToken cancellationToken)
    {
        var (body, problem) = await OperatorHttp.ReadBodyAsync(request, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }
        var (replay, invalid) = OperatorHttp.Deserialize(body!, OperatorJson.Default.ReplayRequest);
        if (invalid is not null)
        {
            return invalid;
        }
        if (OperatorHttp.Invalid("Invalid replay request", Validate(replay!)) is { } refused)
        {
            return refused;
        }
        var selection = new ReplaySelection(replay!.SequenceNumbers, replay.Reason, replay.OrganizationId, replay.Max ?? DefaultMax);
        var report = await replayer.ReplayAsync(selection, replay.DryRun ?? false, OperatorHttp.Caller(request), cancellationToken);
        return OperatorHttp.Json(200, report, OperatorJson.Default.ReplayReport);
    }

    internal static List<string> Validate(ReplayRequest r)
    {
        var errors = new List<string>();
        if (r.SequenceNumbers is null == r.Reason is null)
        {
            errors.Add("select either sequenceNumbers or reason (with optional organizationId and max), not both and not neither");
        }
        if (r.SequenceNumbers is { } numbers)
        {
            if (numbers.Count is 0 or > DeadLetterReplayer.MaxPerCall)
            {
                errors.Add($"sequenceNumbers: must list 1-{DeadLetterReplayer.MaxPerCall} sequence numbers; page larger replays");
            }
            if (numbers.Any(n => n < 0))
            {
                errors.Add("sequenceNumbers: must be 0 or more");
            }
            if (numbers.Distinct().Count() != numbers.Count)
            {
                errors.Add("sequenceNumbers: must not repeat");
            }
            if (r.OrganizationId is not null || r.Max is not null)
            {
                errors.Add("organizationId and max only go with reason");
            }
        }
        OperatorHttp.CheckReason(r.Reason, errors);
        OperatorHttp.CheckId(r.OrganizationId, "org_", "organizationId", errors);
        if (r.Max is { } max && max is < 1 or > DeadLetterReplayer.MaxPerCall)
        {
            errors.Add($"max: must be from 1 to {DeadLetterReplayer.MaxPerCall}; page larger replays");
        }
        return errors;
    }
}
