using System.Threading.RateLimiting;

namespace RoleSync.Clerk;

/// <summary>
/// A <see cref="TokenBucketRateLimiter"/> whose refill rate changes (AIMD) and stops during a pause, driven by the
/// injected <see cref="TimeProvider"/>. Why a wrapper is hand-written: the library's limiters have fixed options and
/// replenish on their own system-clock timer; here the bucket runs with manual replenishment and this class's timer
/// (from the TimeProvider, so tests advance a fake clock) adds the current rate's tokens each tick, none while paused.
/// On a 429 it empties the bucket and pauses every request for Retry-After, halves the rate, then adds a tenth of the
/// share per quiet window until it is back at the share.
/// </summary>
internal sealed class AdaptiveTokenBucket : IDisposable
{
    /// <summary>Ticks per window: the bucket refills 1/100 of the rate every 1/100 of the window.</summary>
    private const int TicksPerWindow = 100;

    private readonly TokenBucketRateLimiter _bucket;
    private readonly TimeProvider _time;
    private readonly ITimer _timer;
    private readonly Lock _lock = new();
    private readonly TimeSpan _window;
    private double _rate;
    private double _owed;
    private DateTimeOffset _pausedUntil;
    private DateTimeOffset _lastChange;
    private DateTimeOffset _lastTick;
    private DateTimeOffset _lastDecrease = DateTimeOffset.MinValue;

    public AdaptiveTokenBucket(int share, TimeSpan window, TimeProvider time)
    {
        Share = share;
        _rate = share;
        _window = window;
        _time = time;
        _lastChange = time.GetUtcNow();
        _lastTick = _lastChange;
        _bucket = new TokenBucketRateLimiter(new TokenBucketRateLimiterOptions
        {
            // Holds at most 1/20 of the share, so any window sees at most 105 % of it while a steady stream gets all.
            TokenLimit = Math.Max(1, share / 20),
            TokensPerPeriod = 1,
            ReplenishmentPeriod = TimeSpan.FromTicks(1), // replenished by hand: each TryReplenish adds one token
            AutoReplenishment = false,
            QueueLimit = int.MaxValue,
            QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
        });
        var tick = window / TicksPerWindow;
        _timer = time.CreateTimer(_ => Tick(), null, tick, tick);
    }

    /// <summary>The most requests per window this bucket ever grants (the host's share).</summary>
    public int Share { get; }

    /// <summary>The current rate in requests per window (at most <see cref="Share"/>).</summary>
    public double Rate
    {
        get
        {
            lock (_lock)
            {
                return _rate;
            }
        }
    }

    /// <summary>Until when every request waits (after a 429).</summary>
    public DateTimeOffset PausedUntil
    {
        get
        {
            lock (_lock)
            {
                return _pausedUntil;
            }
        }
    }

    public ValueTask<RateLimitLease> AcquireAsync(CancellationToken cancellationToken) => _bucket.AcquireAsync(1, cancellationToken);

    /// <summary>Clerk answered 429: pause every request for <paramref name="retryAfter"/>, halve the rate.</summary>
    public void OnTooManyRequests(TimeSpan retryAfter)
    {
        var now = _time.GetUtcNow();
        lock (_lock)
        {
            var until = now + retryAfter;
            if (until > _pausedUntil)
            {
                _pausedUntil = until;
            }
            // One halving per window: the 429s of one burst are one signal.
            if (now - _lastDecrease >= _window)
            {
                _rate = Math.Max(1, _rate / 2);
                _lastDecrease = now;
            }
            _lastChange = now;
            _owed = 0;
        }
        // Empty the bucket so nothing already granted-to-be goes out during the pause.
        int available = (int)Math.Min(int.MaxValue, _bucket.GetStatistics()?.CurrentAvailablePermits ?? 0);
        if (available > 0)
        {
            _bucket.AttemptAcquire(available).Dispose();
        }
    }

    /// <summary>
    /// Adds the tokens owed for the time since the last tick (not counting a pause), so a late or coalesced tick
    /// catches up; the rate grows by a tenth of the share for every whole window since its last change.
    /// </summary>
    private void Tick()
    {
        int tokens;
        var now = _time.GetUtcNow();
        lock (_lock)
        {
            var from = _lastTick > _pausedUntil ? _lastTick : _pausedUntil;
            _lastTick = now;
            if (now <= from)
            {
                return; // paused
            }
            long quietWindows = (now - _lastChange).Ticks / _window.Ticks;
            if (_rate < Share && quietWindows > 0)
            {
                _rate = Math.Min(Share, _rate + (quietWindows * Math.Max(1, Share / 10.0))); // additive increase
                _lastChange += _window * quietWindows;
            }
            _owed = Math.Min(Share, _owed + (_rate * ((now - from) / _window)));
            tokens = (int)_owed;
            _owed -= tokens;
        }
        for (int i = 0; i < tokens && _bucket.TryReplenish(); i++)
        {
        }
    }

    public void Dispose()
    {
        _timer.Dispose();
        _bucket.Dispose();
    }
}
