namespace RoleSync.Clerk;

/// <summary>The outcome of one Clerk call: a membership, no membership (GET only), or an error.</summary>
public sealed record ClerkResult(ClerkMembership? Membership, ClerkError? Error)
{
    public bool IsSuccess => Error is null;

    /// <summary>
    /// A PATCH whose effect on Clerk is not known from this result alone: an attempt of this call went unanswered (it
    /// timed out or the connection failed after the request may have left) and an in-process retry followed, or the
    /// final outcome is itself a timeout or network error. Clerk may apply such an attempt later, after this call
    /// (or a newer change) succeeded, so the caller reads the membership back before trusting it. Never set on a GET.
    /// </summary>
    public bool Ambiguous { get; init; }

    public static ClerkResult Success(ClerkMembership? membership) => new(membership, null);

    public static ClerkResult Failure(ClerkError error) => new(null, error);
}
