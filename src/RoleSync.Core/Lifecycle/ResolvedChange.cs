using RoleSync.Contract;
using RoleSync.Processing;

namespace RoleSync.Lifecycle;

/// <summary>
/// What <see cref="RoleChangeResolver"/> made of a change: the change to process, or the result that ends it; for an
/// <c>AmbiguousUser</c> rejection, the ids of the users that matched (<see cref="Matches"/>); for a resolved change, where
/// its user id came from (<see cref="UserFrom"/>).
/// </summary>
public readonly record struct ResolvedChange(RoleChange? Change, ProcessingResult? Result, IReadOnlyList<string>? Matches = null)
{
    /// <summary>Where <see cref="UserResolver"/> found the change's user id.</summary>
    public UserSource UserFrom { get; init; }

    public static ResolvedChange Of(RoleChange change) => new(change, null);

    public static ResolvedChange Ended(ProcessingResult result, IReadOnlyList<string>? matches = null) => new(null, result, matches);
}

/// <summary>
/// Where <see cref="UserResolver"/> found a user id (an answer from its cache names where the cache got it); kebab-case
/// in JSON (<c>resolvedBy</c> of <c>GET /api/memberships/lookup</c>).
/// </summary>
[System.Text.Json.Serialization.JsonConverter(typeof(KebabCaseEnumConverter<UserSource>))]
public enum UserSource
{
    /// <summary>The change named the user id itself.</summary>
    UserId,
    /// <summary>A ledger record that named the user by this identifier within <see cref="UserResolutionOptions.CacheDuration"/>.</summary>
    Ledger,
    /// <summary>Clerk's <c>GET /v1/users</c>.</summary>
    Clerk,
}
