namespace RoleSync.Audit;

/// <summary>A page of audit records, oldest first; <see cref="ContinuationToken"/> continues it (null at the end).</summary>
public sealed record OperatorAuditPage(IReadOnlyList<OperatorAuditRecord> Items, string? ContinuationToken);
