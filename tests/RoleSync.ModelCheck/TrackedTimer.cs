namespace RoleSync.ModelCheck;

/// <summary>A <see cref="SimClock"/> timer: the fake timer underneath, and whether and when it is armed.</summary>
internal sealed class TrackedTimer(SimClock clock) : ITimer
{
    public ITimer Inner { get; set; } = null!;

    public DateTimeOffset Due { get; set; }

    public bool Change(TimeSpan dueTime, TimeSpan period)
    {
        if (dueTime == Timeout.InfiniteTimeSpan)
        {
            clock.Disarm(this);
        }
        else
        {
            clock.Arm(this, dueTime);
        }
        return Inner.Change(dueTime, period);
    }

    public void Dispose()
    {
        clock.Disarm(this);
        Inner.Dispose();
    }

    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }
}
