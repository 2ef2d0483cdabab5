using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using RoleSync.Processing;

namespace RoleSync.Functions.OperatorApi;

/// <summary>
/// The operator API's RFC 9457 problems: <c>type</c> <c>https://httpstatuses.io/{status}</c>, a cleaned one-line
/// <c>detail</c>, RoleSync's extension members flattened in. <see cref="OperatorProblemDetailsWriter"/> writes them.
/// </summary>
internal static class OperatorProblems
{
    public static ProblemHttpResult Problem(int status, string title, string detail, IDictionary<string, object?>? extensions = null) =>
        TypedResults.Problem(
            detail: ProcessingResult.CleanDetail(detail),
            statusCode: status,
            title: title,
            type: $"https://httpstatuses.io/{status}",
            extensions: extensions);

    /// <summary>400 problem listing <paramref name="errors"/> (detail and an <c>errors</c> member), or null when there are none.</summary>
    public static ProblemHttpResult? Invalid(string title, IReadOnlyCollection<string> errors) => errors.Count == 0
        ? null
        : Problem(StatusCodes.Status400BadRequest, title, string.Join("; ", errors), new Dictionary<string, object?> { ["errors"] = errors.ToArray() });

    /// <summary>404 problem: the ledger has no record of the membership.</summary>
    public static ProblemHttpResult UnknownMembership(string organizationId, string userId) =>
        Problem(StatusCodes.Status404NotFound, "Unknown membership", $"RoleSync has no record of {userId} in {organizationId}: no change for it was ever processed.");
}
