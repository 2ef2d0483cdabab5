namespace RoleSync.Clerk;

/// <summary>
/// The outcome of one bulk read of an organization's memberships (<see cref="ClerkClient.ListMembershipsAsync"/>,
/// <see cref="ClerkClient.ListMembershipsPageAsync"/>): the memberships and Clerk's <c>total_count</c>, or an error.
/// </summary>
public sealed record ClerkListResult(IReadOnlyList<ClerkMembership> Memberships, long TotalCount, ClerkError? Error)
{
    public bool IsSuccess => Error is null;

    public static ClerkListResult Success(IReadOnlyList<ClerkMembership> memberships, long totalCount) => new(memberships, totalCount, null);

    public static ClerkListResult Failure(ClerkError error) => new([], 0, error);
}
