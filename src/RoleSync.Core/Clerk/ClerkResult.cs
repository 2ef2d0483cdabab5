namespace RoleSync.Clerk;

/// <summary>The outcome of one Clerk call: a membership, no membership (GET only), or an error.</summary>
public sealed record ClerkResult(ClerkMembership? Membership, ClerkError? Error)
{
    public bool IsSuccess => Error is null;

    public static ClerkResult Success(ClerkMembership? membership) => new(membership, null);

    public static ClerkResult Failure(ClerkError error) => new(null, error);
}
