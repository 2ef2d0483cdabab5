using RoleSync.Lifecycle;

namespace RoleSync.Functions.OperatorApi;

/// <summary>
/// The answer of <c>GET /api/memberships/lookup</c>: the Clerk user id of the membership, how <see cref="UserResolver"/>
/// found it, and whether the ledger has a record of the membership (<see cref="Known"/>).
/// </summary>
public sealed record LookupView(string OrganizationId, string UserId, UserSource ResolvedBy, bool Known);
