using System.Buffers;

namespace RoleSync.Contract;

/// <summary>
/// The shapes of the Clerk identifiers RoleSync accepts: prefixed IDs (<c>org_…</c>, <c>user_…</c>), role keys
/// (<c>org:…</c>), and the <c>external_id</c> and email address a user may be named by. The message contract, the
/// operator API and the Clerk client all check with these, so nothing else can reach a Clerk URL.
/// </summary>
public static class ClerkIds
{
    /// <summary>The prefix of an organization ID.</summary>
    public const string OrganizationPrefix = "org_";

    /// <summary>The prefix of a user ID.</summary>
    public const string UserPrefix = "user_";

    /// <summary>The prefix of a role key.</summary>
    public const string RoleKeyPrefix = "org:";

    /// <summary>The longest part of an ID after its prefix.</summary>
    public const int MaxSuffixLength = 64;

    /// <summary>The longest part of a role key after <see cref="RoleKeyPrefix"/>.</summary>
    public const int MaxRoleKeyLength = 64;

    private static readonly SearchValues<char> IdChars =
        SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789");

    private static readonly SearchValues<char> RoleKeyChars =
        SearchValues.Create("abcdefghijklmnopqrstuvwxyz0123456789_");

    /// <summary>A Clerk-style ID: <paramref name="prefix"/>, then 1-64 ASCII letters or digits.</summary>
    public static bool IsValid(string value, string prefix)
    {
        ArgumentNullException.ThrowIfNull(value);
        ArgumentNullException.ThrowIfNull(prefix);
        if (!value.StartsWith(prefix, StringComparison.Ordinal))
        {
            return false;
        }
        var rest = value.AsSpan(prefix.Length);
        return rest.Length is >= 1 and <= MaxSuffixLength && !rest.ContainsAnyExcept(IdChars);
    }

    /// <summary>An organization ID: <c>org_</c>, then 1-64 ASCII letters or digits.</summary>
    public static bool IsOrganizationId(string value) => IsValid(value, OrganizationPrefix);

    /// <summary>A user ID: <c>user_</c>, then 1-64 ASCII letters or digits.</summary>
    public static bool IsUserId(string value) => IsValid(value, UserPrefix);

    /// <summary>A Clerk <c>external_id</c> RoleSync accepts: 1-255 characters, none a control character.</summary>
    public static bool IsExternalId(string value) =>
        value.Length is >= 1 and <= RoleChangeParser.MaxExternalIdLength && !value.Any(char.IsControl);

    /// <summary>
    /// An email address as far as RoleSync checks it: a non-empty local part, one "@", a non-empty domain, no spaces or
    /// control characters, at most 254 characters. Clerk decides whether it names a user.
    /// </summary>
    public static bool IsEmailAddress(string value)
    {
        if (value.Length > RoleChangeParser.MaxEmailAddressLength)
        {
            return false;
        }
        var at = value.IndexOf('@', StringComparison.Ordinal);
        return at > 0 && at < value.Length - 1 && value.IndexOf('@', at + 1) < 0 && !value.Any(c => c <= ' ' || char.IsControl(c));
    }

    /// <summary>A role key: <c>org:</c>, then 1-64 of [a-z0-9_].</summary>
    public static bool IsRoleKey(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return value.StartsWith(RoleKeyPrefix, StringComparison.Ordinal) && IsRoleKeyName(value.AsSpan(RoleKeyPrefix.Length));
    }

    /// <summary>The part of a role key after <c>org:</c>: 1-64 of [a-z0-9_].</summary>
    internal static bool IsRoleKeyName(ReadOnlySpan<char> name) =>
        name.Length is >= 1 and <= MaxRoleKeyLength && !name.ContainsAnyExcept(RoleKeyChars);
}
