namespace RoleSync.Replay;

/// <summary>Which dead letters to replay: explicit sequence numbers, or by reason (and organization), at most <see cref="Max"/>.</summary>
public sealed record ReplaySelection(IReadOnlyList<long>? SequenceNumbers, string? Reason, string? OrganizationId, int Max);
