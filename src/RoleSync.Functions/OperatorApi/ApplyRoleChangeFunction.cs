using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using RoleSync.Contract;
using RoleSync.Processing;

namespace RoleSync.Functions.OperatorApi;

/// <summary>
/// <c>POST /api/role-changes/apply[?dryRun=true]</c>: one role change (either contract form) through the same
/// processing policy as the queue, synchronously. 200 applied/stale/duplicate (dry run: would-apply/unchanged/stale/
/// duplicate), 422 rejected, 503 + Retry-After transient.
/// </summary>
public sealed class ApplyRoleChangeFunction(RoleChangeProcessor processor, TimeProvider timeProvider)
{
    public const string Name = "ApplyRoleChange";

    [Function(Name)]
    public async Task<IActionResult> RunAsync(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "role-changes/apply")] HttpRequest request,
        CancellationToken cancellationToken)
    {
        var (body, problem) = await OperatorHttp.ReadBodyAsync(request, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }
        if (!bool.TryParse(request.Query["dryRun"].FirstOrDefault() ?? "false", out var dryRun))
        {
            return OperatorHttp.Problem(400, "Invalid query", "dryRun must be true or false.");
        }

        ProcessingResult result;
        if (dryRun)
        {
            var parse = RoleChangeParser.Parse(body, timeProvider.GetUtcNow());
            result = parse.Change is { } change ? await processor.PlanAsync(change, cancellationToken) : ProcessingResult.Invalid(parse);
        }
        else
        {
            result = await processor.ProcessAsync(body, cancellationToken);
        }
        return Respond(request, result);
    }

    internal static IActionResult Respond(HttpRequest request, ProcessingResult result)
    {
        var c = result.Change;
        switch (result.Outcome)
        {
            case Outcome.Rejected:
                return OperatorHttp.Problem(StatusCodes.Status422UnprocessableEntity, $"Rejected: {result.Reason}", result.Detail ?? "", new Dictionary<string, object?>
                {
                    ["reason"] = result.Reason,
                    ["eventId"] = result.EventId,
                    ["clerkTraceId"] = result.ClerkTraceId,
                });
            case Outcome.Transient:
                var retryAfter = (int)Math.Ceiling((result.RetryAfter ?? TimeSpan.FromSeconds(30)).TotalSeconds);
                request.HttpContext.Response.Headers.RetryAfter = retryAfter.ToString(System.Globalization.CultureInfo.InvariantCulture);
                return OperatorHttp.Problem(StatusCodes.Status503ServiceUnavailable, $"Try again later: {result.Reason}", result.Detail ?? "", new Dictionary<string, object?>
                {
                    ["reason"] = result.Reason,
                    ["eventId"] = result.EventId,
                    ["retryAfterSeconds"] = retryAfter,
                });
            default:
                return OperatorHttp.Json(StatusCodes.Status200OK,
                    new OutcomeResponse(OperatorHttp.Wire(result.Outcome), result.EventId, c?.OrganizationId, c?.UserId, c?.Role, result.Reason, result.Detail, result.ClerkTraceId),
                    OperatorJson.Default.OutcomeResponse);
        }
    }
}
