using RoleSync.Audit;

namespace RoleSync.Functions.OperatorApi;

/// <summary>The 200 answer of <c>GET /api/audit</c>: one page, oldest first; <see cref="ContinuationToken"/> continues it (null at the end).</summary>
public sealed record AuditListResponse(IReadOnlyList<OperatorAuditRecord> Items, string? ContinuationToken);
