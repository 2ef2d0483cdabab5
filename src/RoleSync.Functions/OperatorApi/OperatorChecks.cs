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
}
