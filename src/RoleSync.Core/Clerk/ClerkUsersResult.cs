namespace RoleSync.Clerk;

/// <summary>The outcome of <see cref="ClerkClient.FindUsersAsync"/>: the users found (possibly none), or an error.</summary>
public sealed record ClerkUsersResult(IReadOnlyList<ClerkUser> Users, ClerkError? Error)
{
    public bool IsSuccess => Error is null;

    public static ClerkUsersResult Success(IReadOnlyList<ClerkUser> users) => new(users, null);

    public static ClerkUsersResult Failure(ClerkError error) => new([], error);
}
