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

    /// <summary>Changes the bulk-change guard held (each event counted once, at its first HeldForApproval).</summary>
    GuardHeld,

    /// <summary>Deliveries of an already held change that the guard held again (each a recheck that spent no attempt).</summary>
    GuardRedeliveriesWhileHeld,

    /// <summary>Operator approvals of an organization's holds (during the run, and the final ones before the check).</summary>
    GuardApprovals,

    /// <summary>Holds still undecided when no message was left to come back for them (a violation; the final approval covers them).</summary>
    GuardHoldsLeftAtEnd,
}
