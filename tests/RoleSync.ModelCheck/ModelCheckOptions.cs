namespace RoleSync.ModelCheck;

/// <summary>
/// One profile of the model check: the faults a run may inject (each run enables a random subset) and the reconcile
/// step run after settlement (null: none; issue 12 plugs the Reconciler in here).
/// </summary>
internal sealed record ModelCheckOptions(string Name, Faults Faults, Func<ReconcileContext, Task>? Reconcile = null)
{
    /// <summary>Bound on scheduler steps of one run; a run that needs more has livelocked (reported as a failure).</summary>
    public int MaxSteps { get; init; } = 20_000;
}
