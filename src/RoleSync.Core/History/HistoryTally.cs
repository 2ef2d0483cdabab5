using RoleSync.Processing;

namespace RoleSync.History;

/// <summary>
/// What <see cref="IMembershipHistory.TallySinceAsync"/> read: one mark per entry recorded at or after the scan's start
/// (at most the scan's limit; <see cref="Truncated"/> says more were there, so every count is a lower bound).
/// <see cref="Window"/> counts the marks of any later start, so one scan serves several windows.
/// </summary>
public sealed record HistoryTally(IReadOnlyList<HistoryMark> Marks, bool Truncated)
{
    /// <summary>
    /// The counts of the entries recorded at or after <paramref name="since"/>. <c>processed</c> = the final outcomes of a
    /// delivery (applied + stale + duplicate + rejected + retriesExhausted); <c>rejected</c> = rejected for any reason
    /// but <see cref="Reasons.RetriesExhausted"/>; <c>deadLettered</c> = rejected + retriesExhausted (every rejection is
    /// dead-lettered); <c>repaired</c> = by verification + by the reconciler.
    /// </summary>
    public HistoryWindow Window(string name, DateTimeOffset since)
    {
        int applied = 0, stale = 0, duplicate = 0, rejected = 0, exhausted = 0, retried = 0, held = 0, repaired = 0;
        foreach (var mark in Marks.Where(m => m.RecordedAt >= since))
        {
            switch (mark.Outcome)
            {
                case HistoryOutcome.Applied: applied++; break;
                case HistoryOutcome.Stale: stale++; break;
                case HistoryOutcome.Duplicate: duplicate++; break;
                case HistoryOutcome.Rejected when mark.RetriesExhausted: exhausted++; break;
                case HistoryOutcome.Rejected: rejected++; break;
                case HistoryOutcome.Retried: retried++; break;
                case HistoryOutcome.Held: held++; break;
                case HistoryOutcome.RepairedByVerification or HistoryOutcome.RepairedByReconcile: repaired++; break;
            }
        }
        return new HistoryWindow(name, since, applied + stale + duplicate + rejected + exhausted, applied, stale, duplicate, rejected, exhausted,
            rejected + exhausted, retried, held, repaired);
    }
}

/// <summary>One history entry as a tally needs it: when it was recorded, its outcome, and whether it is a rejection for <see cref="Reasons.RetriesExhausted"/>.</summary>
public readonly record struct HistoryMark(DateTimeOffset RecordedAt, HistoryOutcome Outcome, bool RetriesExhausted)
{
    /// <summary>The mark of an entry with <paramref name="outcome"/> and <paramref name="reason"/>.</summary>
    public static HistoryMark Of(DateTimeOffset recordedAt, HistoryOutcome outcome, string? reason) =>
        new(recordedAt, outcome, outcome == HistoryOutcome.Rejected && reason == Reasons.RetriesExhausted);
}

/// <summary>The history's counts since <see cref="Since"/> (definitions: <see cref="HistoryTally.Window"/>).</summary>
public sealed record HistoryWindow(
    string Name,
    DateTimeOffset Since,
    int Processed,
    int Applied,
    int Stale,
    int Duplicate,
    int Rejected,
    int RetriesExhausted,
    int DeadLettered,
    int Retried,
    int Held,
    int Repaired);
