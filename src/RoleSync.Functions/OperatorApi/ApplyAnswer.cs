using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using RoleSync.Processing;

namespace RoleSync.Functions.OperatorApi;

/// <summary>
/// The synchronous answers of <c>POST /api/role-changes</c> (an invalid change; a dry run): 200 with the outcome, 422
/// problem for a rejection, 503 problem with <c>Retry-After</c> for a transient failure.
/// </summary>
internal static class ApplyAnswer
{
    /// <summary>Seconds to wait when the result names no retry delay.</summary>
    public static readonly TimeSpan DefaultRetryAfter = TimeSpan.FromSeconds(30);

    /// <summary>The problem for a rejected or transient result (422, 503 + Retry-After); null for any other outcome.</summary>
    public static ProblemHttpResult? ProblemFor(ProcessingResult result, HttpResponse response)
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
                return null;
        }
    }
}
