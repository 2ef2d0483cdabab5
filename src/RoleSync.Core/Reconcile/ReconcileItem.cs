using RoleSync.Processing;

namespace RoleSync.Reconcile;

/// <summary>One membership the reconciler found not in sync (or could not check): one JSON line of <c>rolesync reconcile</c>.</summary>
public sealed record ReconcileItem(string OrganizationId, string UserId, string? DesiredRole, string? ClerkRole, VerifyStatus Status, string? Detail = null);
