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
        if (id is not null && !IsClerkId(id, prefix))
        {
            errors.Add($"{field}: must be \"{prefix}\" followed by 1-64 ASCII letters or digits");
        }
    }

    /// <summary>The Clerk ID rule; the one place the operator API asks it (it is moving to <c>RoleSync.Contract.ClerkIds</c>).</summary>
    private static bool IsClerkId(string id, string prefix) => RoleChangeParser.IsPrefixedId(id, prefix);
}
