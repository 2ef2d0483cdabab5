using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Azure.Functions.Worker;
using RoleSync.Contract;
using RoleSync.Messaging;
using RoleSync.Processing;

namespace RoleSync.Functions.OperatorApi;

/// <summary>
/// <c>POST /api/role-changes[?dryRun=true]</c>: an operator's role change (either contract form; <c>eventId</c> and
/// <c>occurredAt</c> may be omitted: generated, now). It is not applied here: it is sent to the role-changes queue (one
/// message, MessageId = eventId, the normalised body, the signed entry point <c>operator</c> and the caller), so the
/// queue's ordering, retries, dead-lettering and verification apply to it as to any producer's change. 202 with a
/// <c>Location</c> of the membership's history; 422 invalid; 503 + Retry-After when it cannot be queued. The dry run
/// stays synchronous and read-only (<see cref="RoleChangeProcessor.PlanAsync"/>): 200 would-apply/unchanged/stale/duplicate.
/// </summary>
public sealed class SubmitRoleChangeFunction(RoleChangeProcessor processor, IRoleChangeQueue queue, MessageSigner signer, TimeProvider timeProvider)
{
    public const string Name = "SubmitRoleChange";

    /// <summary>The status of a change on the queue, in the 202 answer.</summary>
    public const string Queued = "queued";

    /// <summary>The 503 problem's <c>reason</c> when Service Bus refused or failed the send.</summary>
    public const string QueueUnavailable = nameof(QueueUnavailable);

    [Function(Name)]
    [RequiresRole(OperatorRoles.Operator)]
    public async Task<Results<Accepted<SubmissionResponse>, Ok<OutcomeResponse>, ProblemHttpResult>> RunAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/role-changes")] HttpRequest request,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var (body, problem) = await OperatorRequest.ReadBodyAsync(request, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }
        if (OperatorQuery.DryRun(request.Query) is not { } dryRun)
        {
            return OperatorProblems.Problem(StatusCodes.Status400BadRequest, "Invalid query", "dryRun must be true or false.");
        }
        var now = timeProvider.GetUtcNow();
        var parse = RoleChangeParser.ParseSubmission(body, now, "op-" + Guid.CreateVersion7(now).ToString(), processor.Resolver.Roles.HasMappings);
        if (parse.Change is not { } change)
        {
            return ApplyAnswer.ProblemFor(ProcessingResult.Invalid(parse), request.HttpContext.Response)!;
        }
        if (dryRun)
        {
            var planned = await processor.PlanAsync(change, cancellationToken);
            return ApplyAnswer.ProblemFor(planned, request.HttpContext.Response) is { } refused ? refused : TypedResults.Ok(OutcomeResponse.From(planned));
        }

        if (await signer.GetSignatureAsync(cancellationToken) is not { } signature)
        {
            return Unavailable(change, request, Reasons.SecretUnavailable, "The change could not be queued: there is no key to sign its entry point (the Clerk secret key is unavailable).");
        }
        var message = RoleChangeMessages.Submission(change, EntryPoint.Operator, OperatorRequest.Caller(request), signature);
        try
        {
            await queue.SendAsync(message, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return Unavailable(change, request, QueueUnavailable, $"The change could not be sent to the role-changes queue: {ex.GetType().Name}: {ex.Message}");
        }
        var location = GetMembershipHistoryFunction.Location(change.OrganizationId, change.UserId);
        using var queued = JsonDocument.Parse(message.Body.ToMemory());
        return TypedResults.Accepted(location, new SubmissionResponse(change.EventId, queued.RootElement.Clone(), Queued));
    }

    /// <summary>503 + Retry-After: the change is fine, but it could not be queued (nothing was sent; submit it again).</summary>
    private static ProblemHttpResult Unavailable(RoleChange change, HttpRequest request, string reason, string detail) =>
        ApplyAnswer.ProblemFor(ProcessingResult.Transient(change, reason, detail), request.HttpContext.Response)!;
}
