namespace RoleSync.ModelCheck;

/// <summary>
/// The kinds of fault the simulation may inject. A run enables a random subset of its profile's faults. "Before" and
/// "after the PATCH" are seen from the worker: whether it has already sent a PATCH while processing this delivery.
/// </summary>
[Flags]
public enum Faults
{
    /// <summary>No faults: only interleavings, arrival order and producer duplicates.</summary>
    None = 0,

    /// <summary>A worker dies while it waits for the ledger before it has sent a PATCH (its message is redelivered).</summary>
    CrashBeforePatch = 1 << 0,

    /// <summary>A worker dies while its PATCH is on the way: Clerk applies it at that moment, or never gets it.</summary>
    CrashDuringPatch = 1 << 1,

    /// <summary>A worker dies after Clerk answered its PATCH, before (or while) the ledger write that records it.</summary>
    CrashAfterPatch = 1 << 2,

    /// <summary>A PATCH whose answer never came (timeout, crash) travels on and reaches Clerk later, possibly after a later PATCH.</summary>
    LatePatch = 1 << 3,

    /// <summary>Before the worker's PATCH, a ledger write that succeeded on the server is reported as failed (5xx or timeout).</summary>
    AmbiguousWriteBeforePatch = 1 << 4,

    /// <summary>After the worker's PATCH, a ledger write that succeeded on the server is reported as failed (5xx or timeout).</summary>
    AmbiguousWriteAfterPatch = 1 << 5,

    /// <summary>Before the worker's PATCH, a ledger read or write fails with a 5xx or times out, without effect.</summary>
    LedgerErrorBeforePatch = 1 << 6,

    /// <summary>After the worker's PATCH, a ledger read or write fails with a 5xx or times out, without effect.</summary>
    LedgerErrorAfterPatch = 1 << 7,

    /// <summary>Clerk answers 5xx without having done anything (Polly retries at once, inline).</summary>
    ClerkError = 1 << 8,

    /// <summary>Clerk applies the PATCH and then answers 5xx (a gateway lost the answer).</summary>
    ClerkErrorAfterApplying = 1 << 9,

    /// <summary>Clerk answers 429 with Retry-After (1–20 s; up to 10 s Polly waits in process, longer ends the call).</summary>
    ClerkRateLimit = 1 << 10,

    /// <summary>Clerk never answers; Polly's attempt timeout fires on virtual time. The PATCH reached Clerk at once, or never.</summary>
    ClerkTimeout = 1 << 11,

    /// <summary>The queue delivers a message again: after it was settled (completion lost) or while a worker still holds it (lock lost).</summary>
    Redelivery = 1 << 12,

    /// <summary>The world has changes Clerk rejects: a deleted role (404, param role) and a sole admin (400 last admin).</summary>
    Rejections = 1 << 13,

    /// <summary>
    /// The Clerk key is revoked for a while (from 0–20 s for 30 s to 6 h): Clerk answers 401 to every request, so the
    /// quarantine opens, holds every message without spending attempts, and a probe closes it once the key works again.
    /// </summary>
    KeyRevoked = 1 << 14,

    /// <summary>
    /// The bulk-change guard holds changes: a small Guard:MaxPerWindow (1–4) and Window (1–60 min) per run, so an
    /// organization's privilege-reducing changes past it wait for the operator actor's approval (rechecked every 5–60 s
    /// without spending an attempt); before the final check the operator approves whatever is still held.
    /// </summary>
    BulkGuard = 1 << 15,

    /// <summary>Every fault above.</summary>
    All = (1 << 16) - 1,
}
