namespace RoleSync.Reconcile;

/// <summary>What a reconcile pass covered: memberships checked, in sync, repaired, left drifting, not members, failed.</summary>
public sealed record ReconcileSummary(int Checked, int InSync, int Repaired, int Drift, int NotAMember, int ManagedByDirectory, int Failed)
{
    /// <summary>Nothing is left off its desired role (everything in sync or repaired; not-a-member counts as drift left).</summary>
    public bool Converged => Drift == 0 && NotAMember == 0 && ManagedByDirectory == 0 && Failed == 0;

    public override string ToString() =>
        $"{Checked} checked: {InSync} in sync, {Repaired} repaired, {Drift} drift, {NotAMember} not a member, {ManagedByDirectory} managed by directory, {Failed} failed";
}
