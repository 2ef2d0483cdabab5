using RoleSync.Reconcile;

namespace RoleSync.ModelCheck;

/// <summary>The named profiles the tests run and a replay names (ROLESYNC_PROFILE).</summary>
internal static class ModelCheckProfiles
{
    /// <summary>
    /// The faults today's processor survives without verification or a reconciler (each fault run alone over 20 000
    /// seeds; see README.md): crashes, ledger errors and ambiguous ledger writes before the worker's PATCH, Clerk 5xx
    /// without effect, 429 with Retry-After, redeliveries, rejections, a revoked key (the quarantine holds the messages), and the bulk-change guard's holds (the operator approves them). Everything that can leave a PATCH landing
    /// after a newer one without the worker's convergence step running afterwards breaks it.
    /// </summary>
    public static readonly ModelCheckOptions Handled = new("handled",
        Faults.CrashBeforePatch | Faults.AmbiguousWriteBeforePatch | Faults.LedgerErrorBeforePatch | Faults.ClerkError
        | Faults.ClerkRateLimit | Faults.Redelivery | Faults.Rejections | Faults.KeyRevoked | Faults.BulkGuard);

    /// <summary>Every fault, late PATCHes included, then one pass of the real <see cref="Reconciler"/> in repair mode.</summary>
    public static readonly ModelCheckOptions All = new("all", Faults.All, ReconcileAsync);

    /// <summary>The same faults without the reconcile pass: verification alone (what it leaves is the reconciler's job).</summary>
    public static readonly ModelCheckOptions AllWithoutReconcile = new("all-without-reconcile", Faults.All);

    /// <summary>One reconcile pass over every membership the ledger knows, as the Reconcile function runs it.</summary>
    public static async Task ReconcileAsync(ReconcileContext context)
    {
        var reconciler = (Reconciler)context.Services.GetService(typeof(Reconciler))!;
        await reconciler.RunAsync(ReconcileMode.Repair, null, _ => Task.CompletedTask, context.CancellationToken).ConfigureAwait(false);
    }

    /// <summary>No faults at all: interleavings, arrival order and producer duplicates only.</summary>
    public static readonly ModelCheckOptions NoFaults = new("none", Faults.None);

    public static ModelCheckOptions Named(string name) => name switch
    {
        "handled" => Handled,
        "all" => All,
        "all-without-reconcile" => AllWithoutReconcile,
        "none" => NoFaults,
        _ when Enum.TryParse<Faults>(name, ignoreCase: true, out var faults) => new(name, faults),
        _ => throw new ArgumentException($"No model check profile '{name}': handled, all, none, or fault names (e.g. \"LatePatch, ClerkTimeout\").", nameof(name)),
    };
}
