namespace RoleSync.ModelCheck;

/// <summary>
/// The simulated clock shifted by an offset that only grows: what a long-lived component (the Clerk rate limiter) sees,
/// so that each seed on a reused host starts, for it, a day after the previous one ended instead of back at
/// <see cref="Simulation.Start"/> (its pause and rate from the previous seed are then over, exactly as on a fresh host).
/// Timers are the simulated clock's own (their due times are relative).
/// </summary>
internal sealed class OffsetClock(SimClock clock) : TimeProvider
{
    private TimeSpan _offset;

    public void MoveOn(TimeSpan by) => _offset += by;

    public override DateTimeOffset GetUtcNow() => clock.GetUtcNow() + _offset;

    public override long GetTimestamp() => clock.GetTimestamp();

    public override long TimestampFrequency => clock.TimestampFrequency;

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period) =>
        clock.CreateTimer(callback, state, dueTime, period);
}
