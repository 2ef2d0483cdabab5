namespace RoleSync.ModelCheck;

/// <summary>The named profiles the tests run and a replay names (ROLESYNC_PROFILE).</summary>
internal static class ModelCheckProfiles
{
    /// <summary>
    /// The faults today's processor survives without verification or a reconciler (each fault run alone over 20 000
    /// seeds; see README.md): crashes, ledger errors and ambiguous ledger writes before the worker's PATCH, Clerk 5xx
    /// without effect, 429 with Retry-After, redeliveries and rejections. Everything that can leave a PATCH landing
    /// after a newer one without the worker's convergence step running afterwards breaks it.
    /// </summary>
    public static readonly ModelCheckOptions Handled = new("handled",
        Faults.CrashBeforePatch | Faults.AmbiguousWriteBeforePatch | Faults.LedgerErrorBeforePatch | Faults.ClerkError
        | Faults.ClerkRateLimit | Faults.Redelivery | Faults.Rejections);

    /// <summary>Every fault, late PATCHes included. Issue 12: plug the Reconciler in as <see cref="ModelCheckOptions.Reconcile"/>.</summary>
    public static readonly ModelCheckOptions All = new("all", Faults.All);

    /// <summary>No faults at all: interleavings, arrival order and producer duplicates only.</summary>
    public static readonly ModelCheckOptions NoFaults = new("none", Faults.None);

    public static ModelCheckOptions Named(string name) => name switch
    {
        "handled" => Handled,
        "all" => All,
        "none" => NoFaults,
        _ when Enum.TryParse<Faults>(name, ignoreCase: true, out var faults) => new(name, faults),
        _ => throw new ArgumentException($"No model check profile '{name}': handled, all, none, or fault names (e.g. \"LatePatch, ClerkTimeout\").", nameof(name)),
    };
}
