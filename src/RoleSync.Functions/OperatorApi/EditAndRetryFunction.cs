using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Azure.Functions.Worker;
using RoleSync.Replay;

namespace RoleSync.Functions.OperatorApi;

/// <summary>
/// <c>POST /api/dead-letters/{sequenceNumber}/edit-and-retry</c> with the corrected role change (either contract form;
/// its eventId stays the dead letter's): sends the edited copy as <c>{eventId}~edit1</c>, then completes the dead
/// letter (<see cref="DeadLetterEditor"/>). 200 sent; 422 the body's violations (nothing sent); 404 no such dead
/// letter; 409 edited already; 503 + Retry-After the dead letter could not be locked or no signing key; 502 the send
/// failed (the dead letter stays).
/// </summary>
public sealed class EditAndRetryFunction(DeadLetterEditor editor)
{
    public const string Name = "EditAndRetryDeadLetter";

    /// <summary>Seconds to wait before sending the same edit again after a 503.</summary>
    public const int RetryAfterSeconds = 30;

    [Function(Name)]
    [RequiresRole(OperatorRoles.Operator)]
    public async Task<Results<Ok<EditAndRetryResponse>, ProblemHttpResult>> RunAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/dead-letters/{sequenceNumber}/edit-and-retry")] HttpRequest request,
        string sequenceNumber,
        CancellationToken cancellationToken)
    {
        if (new OperatorQuery(request.Query).Problem("Invalid query") is { } invalidQuery)
        {
            return invalidQuery;
        }
        // Parsed here, not by a route constraint: a bad value is a 400 problem, and the route reads as the OpenAPI path.
        if (!long.TryParse(sequenceNumber, NumberStyles.None, CultureInfo.InvariantCulture, out var number))
        {
            return OperatorProblems.Problem(StatusCodes.Status400BadRequest, "Invalid sequence number", "sequenceNumber: must be a whole number, 0 or more");
        }
        var (body, problem) = await OperatorRequest.ReadBodyAsync(request, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }
        var result = await editor.EditAsync(number, body, OperatorRequest.Caller(request), cancellationToken);
        var extensions = new Dictionary<string, object?> { ["sequenceNumber"] = number, ["eventId"] = result.EventId };
        switch (result.Status)
        {
            case EditStatus.Retried:
                return TypedResults.Ok(EditAndRetryResponse.From(result));
            case EditStatus.Invalid:
                extensions["errors"] = result.Errors.ToArray();
                return OperatorProblems.Problem(StatusCodes.Status422UnprocessableEntity, "Invalid edit", string.Join("; ", result.Errors), extensions);
            case EditStatus.NotFound:
                return OperatorProblems.Problem(StatusCodes.Status404NotFound, "Unknown dead letter", result.Detail ?? "", extensions);
            case EditStatus.Conflict:
                return OperatorProblems.Problem(StatusCodes.Status409Conflict, "Edited already", result.Detail ?? "", extensions);
            case EditStatus.Failed:
                return OperatorProblems.Problem(StatusCodes.Status502BadGateway, "Send failed", result.Detail ?? "", extensions);
            default: // RetryLater, Unavailable
                request.HttpContext.Response.Headers.RetryAfter = RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
                extensions["retryAfterSeconds"] = RetryAfterSeconds;
                return OperatorProblems.Problem(StatusCodes.Status503ServiceUnavailable, "Try again later", result.Detail ?? "", extensions);
        }
    }
}
