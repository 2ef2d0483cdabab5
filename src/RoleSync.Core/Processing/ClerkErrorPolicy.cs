using RoleSync.Clerk;
using RoleSync.Contract;

namespace RoleSync.Processing;

/// <summary>
/// The single place that decides what a Clerk failure means for a role change: rejected for good (and why), or
/// transient. Pure; its table of cases is the spec (tests/RoleSync.Core.Tests/Processing/ClerkErrorPolicyTests.cs).
/// A 401/403/404 counts as Clerk's verdict only when the answer shows it is Clerk's (<see cref="ClerkError.FromClerk"/>).
/// </summary>
public static class ClerkErrorPolicy
{
    public static ProcessingResult Classify(RoleChange change, ClerkError error)
    {
        var detail = error.ToString();
        return error.StatusCode switch
        {
            null when error.Code == ClerkError.Throttled => ProcessingResult.Transient(change, Reasons.ClerkRateLimited, detail, traceId: error.TraceId),
            null => ProcessingResult.Transient(change, Reasons.ClerkUnavailable, detail, traceId: error.TraceId),
            401 or 403 or 404 when !error.FromClerk => ProcessingResult.Transient(change, Reasons.ClerkUnavailable,
                "The answer is not from Clerk (no Clerk error body, clerk_trace_id or cf-ray: a proxy, a gateway or a wrong Clerk:ApiUrl?): " + detail,
                error.RetryAfter, error.TraceId),
            401 => ProcessingResult.Transient(change, Reasons.ClerkUnauthorized,
                "Clerk rejected the secret key even after reading it again from Key Vault: " + detail, traceId: error.TraceId),
            429 => ProcessingResult.Transient(change, Reasons.ClerkRateLimited, detail, error.RetryAfter, error.TraceId),
            408 or >= 500 => ProcessingResult.Transient(change, Reasons.ClerkUnavailable, detail, error.RetryAfter, error.TraceId),
            404 when IsRoleError(error) => ProcessingResult.Rejected(change, Reasons.RoleNotFound,
                $"Role {change.Role} does not exist in organization {change.OrganizationId}: {detail}", error.TraceId),
            404 => ProcessingResult.Rejected(change, Reasons.MembershipNotFound,
                $"{change.UserId} is not a member of {change.OrganizationId} (or the organization does not exist): {detail}", error.TraceId),
            400 when error.Code == "organization_minimum_permissions_needed" => ProcessingResult.Rejected(change, Reasons.LastAdmin,
                $"{change.UserId} is the last admin of {change.OrganizationId} and cannot be given {change.Role}: {detail}", error.TraceId),
            409 when error.Code == "organization_membership_managed_by_scim" => ProcessingResult.Rejected(change, Reasons.ManagedByDirectory,
                $"The membership of {change.UserId} in {change.OrganizationId} is managed by Clerk Directory Sync (SCIM): {detail}", error.TraceId),
            >= 400 and < 500 => ProcessingResult.Rejected(change, Reasons.ClerkRejected, detail, error.TraceId),
            // 2xx with an unreadable body, 1xx, 3xx: nothing we can trust; try again later.
            _ => ProcessingResult.Transient(change, Reasons.ClerkUnavailable, detail, traceId: error.TraceId),
        };
    }

    private static bool IsRoleError(ClerkError error) =>
        error.ParamName == "role"
        || (error.LongMessage?.Contains("role not found", StringComparison.OrdinalIgnoreCase) ?? false)
        || error.Message.Contains("role not found", StringComparison.OrdinalIgnoreCase);
}
