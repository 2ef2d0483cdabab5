using Microsoft.AspNetCore.Http.HttpResults;
using RoleSync.Contract;

namespace RoleSync.Functions.OperatorApi;

/// <summary>The value checks the operator API's query strings, bodies and routes share; each adds its error to a list.</summary>
internal static class OperatorChecks
{
    /// <summary>Adds an error when a dead-letter reason filter is not 1-128 printable characters.</summary>
    public static void Reason(string? reason, List<string> errors)
    {
        if (reason is not null && (reason.Length is 0 or > 128 || reason.Any(char.IsControl)))
        {
            errors.Add("reason: must be 1-128 printable characters");
        }
    }

    /// <summary>Adds an error when <paramref name="id"/> is given but is not a Clerk ID with <paramref name="prefix"/>.</summary>
    public static void Id(string? id, string prefix, string field, List<string> errors)
    {
        if (id is not null && !ClerkIds.IsValid(id, prefix))
        {
            errors.Add($"{field}: must be \"{prefix}\" followed by 1-{ClerkIds.MaxSuffixLength} ASCII letters or digits");
        }
    }

    /// <summary>The 400 problem of a membership route whose <c>organizationId</c> or <c>userId</c> is not a Clerk ID; null when both are.</summary>
    public static ProblemHttpResult? Membership(string organizationId, string userId)
    {
        var errors = new List<string>();
        Id(organizationId, "org_", "organizationId", errors);
        Id(userId, "user_", "userId", errors);
        return OperatorProblems.Invalid("Invalid membership", errors);
    }
}
