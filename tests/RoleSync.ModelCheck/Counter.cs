namespace RoleSync.ModelCheck;

/// <summary>What one run counts: the faults it injected and what became of the messages (see <see cref="FaultCounts"/>).</summary>
internal enum Counter
{
    Workers,
    Changes,
    Deliveries,
    ProducerDuplicates,
    CrashBeforePatch,
    CrashDuringPatch,
    CrashAfterPatch,
    PatchLandedAtCrash,
    LatePatches,
    LatePatchesAfterALaterPatch,
    AmbiguousLedgerWrites,
    LedgerErrors,
    LedgerTimeouts,
    Clerk5xx,
    Clerk5xxAfterApplying,
    Clerk429,
    ClerkTimeouts,
    Clerk401KeyRevoked,
    Quarantined,
    PollyRetries,
    RedeliveredAfterSettling,
    RedeliveredWhileHeld,
    Applied,
    Stale,
    Duplicate,
    RejectedLastAdmin,
    RejectedRoleNotFound,
    RetriesScheduled,
    RetriesExhausted,
    ReconcileSteps,

    /// <summary>Removals among the changes (contract 1.1 "action":"remove").</summary>
    Removals,

    /// <summary>Memberships Clerk deleted (DELETE answered 200, or a late DELETE landing).</summary>
    MembershipsDeleted,

    /// <summary>Memberships Clerk created (POST answered 200: a set-role after a removal, Membership:CreateMissing).</summary>
    MembershipsCreated,
}
