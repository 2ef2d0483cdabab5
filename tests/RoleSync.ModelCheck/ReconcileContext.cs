namespace RoleSync.ModelCheck;

/// <summary>
/// What a pluggable reconcile step gets (<see cref="ModelCheckOptions.Reconcile"/>): the host's services (the processor,
/// the Clerk client, the ledger, the clock, whatever AddRoleSyncCore registers), the memberships of the world and a token.
/// It runs inside the simulation, after every message is settled and every late PATCH has landed, without faults.
/// </summary>
internal sealed record ReconcileContext(
    IServiceProvider Services,
    IReadOnlyList<(string OrganizationId, string UserId)> Memberships,
    CancellationToken CancellationToken);
