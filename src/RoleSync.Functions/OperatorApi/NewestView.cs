namespace RoleSync.Functions.OperatorApi;

/// <summary>The newest change the ledger knows for a membership, and whether it was applied or rejected.</summary>
public sealed record NewestView(string EventId, DateTimeOffset OccurredAt, string Role, string? Source, DateTimeOffset RecordedAt, bool Applied, bool Rejected);
