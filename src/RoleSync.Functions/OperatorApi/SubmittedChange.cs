using RoleSync.Contract;

namespace RoleSync.Functions.OperatorApi;

/// <summary>A submitted change as it was queued (normalised: every field explicit, generated ones included).</summary>
public sealed record SubmittedChange(
    string EventId,
    DateTimeOffset OccurredAt,
    string OrganizationId,
    string UserId,
    string Role,
    string? Source,
    string? Reason)
{
    internal static SubmittedChange From(RoleChange change) =>
        new(change.EventId, change.OccurredAt, change.OrganizationId, change.UserId, change.Role, change.Source, change.Reason);
}
