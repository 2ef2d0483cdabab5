using RoleSync.Processing;

namespace RoleSync.Functions.OperatorApi;

/// <summary>
/// The 200 answer of <c>POST /api/role-changes?dryRun=true</c>: the outcome by its wire name (applied, stale, duplicate;
/// dry run: would-apply, unchanged) and the change it is about.
/// </summary>
public sealed record OutcomeResponse(
    Outcome Outcome,
    string? EventId,
    string? OrganizationId,
    string? UserId,
    string? Role,
    string? Reason,
    string? Detail,
    string? ClerkTraceId)
{
    internal static OutcomeResponse From(ProcessingResult result) => new(
        result.Outcome,
        result.EventId,
        result.Change?.OrganizationId,
        result.Change?.UserId,
        result.Change?.Role,
        result.Reason,
        result.Detail,
        result.ClerkTraceId);
}
