namespace RoleSync.Functions.OperatorApi;

/// <summary>
/// The answer of <c>GET /api/memberships/lookup</c>: the Clerk user id of the membership, how it was found, and whether
/// the ledger has a record of the membership (<see cref="Known"/>).
/// </summary>
public sealed record LookupView(string OrganizationId, string UserId, LookupSource ResolvedBy, bool Known);

/// <summary>How <c>GET /api/memberships/lookup</c> found the user; kebab-case in JSON.</summary>
[System.Text.Json.Serialization.JsonConverter(typeof(KebabCaseEnumConverter<LookupSource>))]
public enum LookupSource
{
    /// <summary>The query named the user id itself.</summary>
    UserId,
    /// <summary>A ledger record last named the user by this externalId or emailAddress.</summary>
    Ledger,
    /// <summary>Clerk's <c>GET /v1/users</c>, through the user resolver (which may answer from its cache of such a lookup).</summary>
    Clerk,
}
