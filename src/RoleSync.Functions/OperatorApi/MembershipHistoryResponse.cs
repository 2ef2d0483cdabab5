using RoleSync.History;

namespace RoleSync.Functions.OperatorApi;

/// <summary>
/// The 200 answer of <c>GET /api/memberships/{organizationId}/{userId}/history</c>: one page of entries, newest first;
/// <see cref="ContinuationToken"/> asks for the next (null at the end).
/// </summary>
public sealed record MembershipHistoryResponse(string OrganizationId, string UserId, IReadOnlyList<MembershipHistoryEntry> Entries, string? ContinuationToken);
