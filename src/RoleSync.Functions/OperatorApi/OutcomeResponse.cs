using RoleSync.Processing;

namespace RoleSync.Functions.OperatorApi;

/// <summary>
/// The 200 answer of <c>POST /api/role-changes?dryRun=true</c>: the outcome by its wire name (applied, stale, duplicate;
/// dry run: would-apply, would-create, would-remove, unchanged, not-found) and the change it is about.
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
        result.Change is { IsResolved: true } resolved ? resolved.UserId : null, // contract 1.1: a user never resolved has no id
        result.Change is { IsRemoval: false } setRole ? setRole.Role : null,      // a removal has no role
        result.Reason,
        result.Detail,
        result.ClerkTraceId);
}
