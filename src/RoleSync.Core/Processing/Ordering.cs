using RoleSync.Contract;
using RoleSync.Ledger;

namespace RoleSync.Processing;

/// <summary>
/// The ordering rule, a pure function: where a change stands against the newest change known for its membership.
/// The processor, the dead-letter replayer and the CLI's dry run all ask it. "Newer" is
/// <see cref="RoleChange.IsNewerThan"/>: a later occurredAt, or the same instant and an ordinally greater eventId.
/// </summary>
public static class Ordering
{
    /// <summary>
    /// <see cref="OrderingDecision.New"/> when <paramref name="newest"/> is null or older; for the same eventId
    /// <see cref="OrderingDecision.Duplicate"/> if it was applied, else <see cref="OrderingDecision.Resume"/>;
    /// otherwise <see cref="OrderingDecision.Stale"/>.
    /// </summary>
    public static OrderingDecision Decide(RoleChange change, NewestChange? newest)
    {
        ArgumentNullException.ThrowIfNull(change);
        if (newest is null)
        {
            return new OrderingDecision.New();
        }
        if (newest.EventId == change.EventId)
        {
            return newest.Applied ? new OrderingDecision.Duplicate() : new OrderingDecision.Resume();
        }
        return change.IsNewerThan(newest.OccurredAt, newest.EventId)
            ? new OrderingDecision.New()
            : new OrderingDecision.Stale(newest);
    }

    /// <summary>The change against the ledger's record of its membership (null: none yet).</summary>
    public static OrderingDecision Decide(RoleChange change, MembershipRecord? current) =>
        Decide(change, current is null ? null : NewestChange.Of(current));
}
