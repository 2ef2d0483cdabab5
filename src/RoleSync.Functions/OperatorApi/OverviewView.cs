using RoleSync.History;

namespace RoleSync.Functions.OperatorApi;

/// <summary>
/// The answer of <c>GET /api/overview</c>. A part whose source failed is null, and <see cref="Errors"/> says which
/// (<c>"history: …"</c>); the other parts are still there.
/// </summary>
public sealed record OverviewView(
    DateTimeOffset GeneratedAt,
    string Version,
    IReadOnlyList<HistoryWindow>? Windows,
    int? HistoryScanned,
    bool? HistoryTruncated,
    QuarantineView? Quarantine,
    HoldCountView? Holds,
    DeadLetterCountView? DeadLetters,
    ClerkBudgetView? ClerkBudget,
    IReadOnlyList<string> Errors);

/// <summary>Organizations with open holds, and the changes they hold in all.</summary>
public sealed record HoldCountView(int Organizations, int Changes);

/// <summary>Dead letters counted by the groups endpoint's peek; <see cref="Truncated"/>: its bound was hit, there are more.</summary>
public sealed record DeadLetterCountView(int Count, bool Truncated);

/// <summary>
/// The deployment's Clerk budget (<c>Clerk:RequestsPer10Seconds</c> resolved for the key's kind), <c>RoleSync:MaxInstances</c>,
/// each host's share, and this host's limiter's current rate (lower than the share after a 429; only this host's view).
/// </summary>
public sealed record ClerkBudgetView(int RequestsPer10Seconds, int MaxInstances, int PerHostPer10Seconds, double CurrentPerHostPer10Seconds);
