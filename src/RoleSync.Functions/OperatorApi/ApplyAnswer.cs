using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using RoleSync.Processing;

namespace RoleSync.Functions.OperatorApi;

/// <summary>
/// The answer to <c>POST /api/role-changes/apply</c> for a processing result: 200 with the outcome, 422 problem for
/// a rejection, 503 problem with <c>Retry-After</c> for a transient failure.
/// </summary>
internal static class ApplyAnswer
{
    /// <summary>Seconds to wait when the result names no retry delay.</summary>
    public static readonly TimeSpan DefaultRetryAfter = TimeSpan.FromSeconds(30);

    public static Results<Ok<OutcomeResponse>, ProblemHttpResult> From(ProcessingResult result, HttpResponse response)
    {
        switch (result.Outcome)
        {
            case Outcome.Rejected:
                return OperatorProblems.Problem(StatusCodes.Status422UnprocessableEntity, $"Rejected: {result.Reason}", result.Detail ?? "", new Dictionary<string, object?>
                {
                    ["reason"] = result.Reason,
                    ["eventId"] = result.EventId,
                    ["clerkTraceId"] = result.ClerkTraceId,
                });
            case Outcome.Transient:
                var retryAfter = (int)Math.Ceiling((result.RetryAfter ?? DefaultRetryAfter).TotalSeconds);
                response.Headers.RetryAfter = retryAfter.ToString(CultureInfo.InvariantCulture);
                return OperatorProblems.Problem(StatusCodes.Status503ServiceUnavailable, $"Try again later: {result.Reason}", result.Detail ?? "", new Dictionary<string, object?>
                {
                    ["reason"] = result.Reason,
                    ["eventId"] = result.EventId,
                    ["retryAfterSeconds"] = retryAfter,
                });
            default:
                return TypedResults.Ok(OutcomeResponse.From(result));
        }
    }
}
