namespace RoleSync.Functions.OperatorApi;

/// <summary>The last rejected change for a membership, with its reason.</summary>
public sealed record RejectionView(string EventId, string? Reason, string? Detail, DateTimeOffset? At);
