using Microsoft.Extensions.Time.Testing;

namespace RoleSync.ModelCheck;

/// <summary>
/// The virtual clock: a <see cref="FakeTimeProvider"/> (registered as the host's <see cref="TimeProvider"/>, so Polly's
/// timeouts and delays and the processor read it) that also knows which of its timers are armed, so the simulation can
/// advance exactly to the next one. Time moves only when the simulation advances it; <see cref="FakeTimeProvider.Advance"/>
/// fires due timers on the calling thread, in due order.
/// </summary>
internal sealed class SimClock(DateTimeOffset start) : FakeTimeProvider(start)
{
    private readonly List<TrackedTimer> _armed = [];

    /// <summary>Called whenever RoleSync creates or arms a timer: the simulation's check that it runs on its own thread.</summary>
    public Action CheckThread { get; set; } = static () => { };

    /// <summary>Timers that are armed now (created and not yet fired, changed to infinite or disposed).</summary>
    public int ArmedTimers => _armed.Count;

    /// <summary>The due time of the earliest armed timer, or null.</summary>
    public DateTimeOffset? NextDue
    {
        get
        {
            DateTimeOffset? next = null;
            foreach (var timer in _armed)
            {
                if (next is null || timer.Due < next)
                {
                    next = timer.Due;
                }
            }
            return next;
        }
    }

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        CheckThread();
        ArgumentNullException.ThrowIfNull(callback);
        if (period != Timeout.InfiniteTimeSpan && period != TimeSpan.Zero)
        {
            throw new NotSupportedException("The model check simulates one-shot timers only (Polly and Task.Delay use those).");
        }
        var timer = new TrackedTimer(this);
        timer.Inner = base.CreateTimer(s => { Disarm(timer); callback(s); }, state, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        timer.Change(dueTime, period);
        return timer;
    }

    /// <summary>Sets the clock back to <paramref name="start"/> for the next run on the same host; no timer may be armed.</summary>
    public void Restart(DateTimeOffset start)
    {
        if (_armed.Count != 0)
        {
            throw new InvalidOperationException($"{_armed.Count} timers are still armed.");
        }
        AdjustTime(start);
    }

    internal void Arm(TrackedTimer timer, TimeSpan dueTime)
    {
        CheckThread();
        timer.Due = GetUtcNow() + dueTime;
        if (!_armed.Contains(timer))
        {
            _armed.Add(timer);
        }
    }

    internal void Disarm(TrackedTimer timer) => _armed.Remove(timer);
}
