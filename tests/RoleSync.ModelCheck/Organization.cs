namespace RoleSync.ModelCheck;

/// <summary>
/// An organization of the simulated world. Either it has a permanent admin that RoleSync never touches (so demotions
/// never hit the last-admin rule), or it is a sole-admin organization: one managed membership, an admin from the start,
/// no other admin, so Clerk rejects every demotion of it (400 last admin) and it stays admin. A deleted role (404, param
/// role) is rejected for everyone. Both make "does Clerk accept this change" a fixed fact of the world.
/// </summary>
internal sealed record Organization(string Id, IReadOnlyList<string> Roles, bool SoleAdmin)
{
    public bool Accepts(string role) => RejectionReason(role) is null;

    /// <summary>The reason RoleSync should give when Clerk rejects <paramref name="role"/> (a removal of the sole admin: LastAdmin).</summary>
    public string? RejectionReason(string role) =>
        role == Change.Remove ? (SoleAdmin ? "LastAdmin" : null)
        : !Roles.Contains(role) ? "RoleNotFound" : SoleAdmin && role != ClerkState.AdminRole ? "LastAdmin" : null;
}
