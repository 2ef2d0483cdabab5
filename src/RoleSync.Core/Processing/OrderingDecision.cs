namespace RoleSync.Processing;

/// <summary>Where a change stands against the newest change known for its membership (<see cref="Ordering.Decide(Contract.RoleChange, NewestChange?)"/>). A closed set: one of the four nested records.</summary>
public abstract record OrderingDecision
{
    private OrderingDecision()
    {
    }

    /// <summary>Nothing is known for the membership, or the change is newer than the newest: it becomes the newest.</summary>
    public sealed record New : OrderingDecision;

    /// <summary>
    /// The change is the newest one, not applied yet (a crash or transient failure after it was recorded, or a replay
    /// after its rejection was fixed): carry on with it.
    /// </summary>
    public sealed record Resume : OrderingDecision;

    /// <summary>The change is the newest one and already applied: nothing is left to do.</summary>
    public sealed record Duplicate : OrderingDecision;

    /// <summary>A newer change, <see cref="Newer"/>, is known: this one must not overwrite it.</summary>
    public sealed record Stale(NewestChange Newer) : OrderingDecision;
}
