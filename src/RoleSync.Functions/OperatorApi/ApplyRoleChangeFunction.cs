using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
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
    public async Task<Results<Ok<OutcomeResponse>, ProblemHttpResult>> RunAsync(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "role-changes/apply")] HttpRequest request,
        CancellationToken cancellationToken)
    {
        var (body, problem) = await OperatorRequest.ReadBodyAsync(request, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }
        if (OperatorQuery.DryRun(request.Query) is not { } dryRun)
        {
            return OperatorProblems.Problem(StatusCodes.Status400BadRequest, "Invalid query", "dryRun must be true or false.");
        }

        ProcessingResult result;
        if (dryRun)
        {
            var parse = processor.Resolver.Roles.Parse(body, timeProvider.GetUtcNow());
            result = parse.Change is { } change ? await processor.PlanAsync(change, cancellationToken) : ProcessingResult.Invalid(parse);
        }
        else
        {
            result = await processor.ProcessAsync(body, cancellationToken);
        }
        return ApplyAnswer.From(result, request.HttpContext.Response);
    }
}
