namespace RoleSync.Reconcile;

/// <summary>What the reconciler does with a membership that is not on its desired role.</summary>
public enum ReconcileMode
{
    /// <summary>Put the desired role back (PATCH, through the same rate budget as the queue) and record the repair.</summary>
    Repair,
    /// <summary>Only report it.</summary>
    Report,
}
