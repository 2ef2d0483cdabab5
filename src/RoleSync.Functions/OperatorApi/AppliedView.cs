namespace RoleSync.Functions.OperatorApi;

/// <summary>The change last applied to a membership in Clerk.</summary>
public sealed record AppliedView(string? EventId, string? Role, DateTimeOffset? At);
