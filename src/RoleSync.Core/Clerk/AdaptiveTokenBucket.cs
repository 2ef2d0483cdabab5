using System.Threading.RateLimiting;

namespace RoleSync.Clerk;

/// <summary>
/// A first-come-first-served token bucket whose rate changes (AIMD) and stops during a pause, driven by the injected
/// <see cref="TimeProvider"/>. Why hand-written: System.Threading.RateLimiting's <see cref="TokenBucketRateLimiter"/>
/// has a fixed rate and computes its refill from <c>Stopwatch</c> time, also when replenished by hand, so it can follow
/// neither a changing rate nor a fake clock (measured: it granted 3× its rate under a fake clock). A timer from the
/// TimeProvider adds the current rate's tokens every 1/100 of the window (none while paused) and hands them to the
/// waiting requests in arrival order. On a 429 it empties the bucket and pauses every request for Retry-After, halves
/// the rate, then adds a tenth of the share per quiet window until it is back at the share.
/// </summary>
internal sealed class AdaptiveTokenBucket : IDisposable
{
    /// <summary>Ticks per window: the bucket refills 1/100 of the rate every 1/100 of the window.</summary>
    private const int TicksPerWindow = 100;

    private readonly TimeProvider _time;
    private readonly ITimer _timer;
    private readonly Lock _lock = new();
    private readonly Queue<TaskCompletionSource<RateLimitLease>> _waiting = new();
    private readonly TimeSpan _window;
    private readonly double _capacity;
    private double _rate;
    private double _tokens;
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
        // Holds at most 1/20 of the share, so any window sees at most 105 % of it while a steady stream gets all.
        _capacity = Math.Max(1, share / 20);
        _tokens = _capacity;
        _lastChange = time.GetUtcNow();
        _lastTick = _lastChange;
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

    /// <summary>
    /// A permit now when one is free and nobody waits; otherwise waits in line. Cancelled while waiting: a lease that
    /// is not acquired (Polly turns it into <c>RateLimiterRejectedException</c>: no request was sent).
    /// </summary>
    public ValueTask<RateLimitLease> AcquireAsync(CancellationToken cancellationToken)
    {
        TaskCompletionSource<RateLimitLease> waiter;
        lock (_lock)
        {
            if (_waiting.Count == 0 && _tokens >= 1 && _time.GetUtcNow() >= _pausedUntil)
            {
                _tokens -= 1;
                return ValueTask.FromResult<RateLimitLease>(Lease.Acquired);
            }
            waiter = new TaskCompletionSource<RateLimitLease>(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiting.Enqueue(waiter);
        }
        if (cancellationToken.CanBeCanceled)
        {
            var registration = cancellationToken.Register(static state => ((TaskCompletionSource<RateLimitLease>)state!).TrySetResult(Lease.Refused), waiter);
            _ = waiter.Task.ContinueWith(static (_, state) => ((CancellationTokenRegistration)state!).Dispose(), registration, CancellationToken.None,
                TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }
        return new ValueTask<RateLimitLease>(waiter.Task);
    }

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
            _tokens = 0; // nothing saved up goes out when the pause ends
        }
    }

    /// <summary>
    /// Adds the tokens owed for the time since the last tick (not counting a pause), so a late or coalesced tick
    /// catches up, and grants them in arrival order; the rate grows by a tenth of the share for every whole window
    /// since its last change.
    /// </summary>
    private void Tick()
    {
        List<TaskCompletionSource<RateLimitLease>>? granted = null;
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
            _tokens += _rate * ((now - from) / _window);
            while (_tokens >= 1 && _waiting.TryDequeue(out var waiter))
            {
                if (!waiter.Task.IsCompleted) // a cancelled waiter costs no token
                {
                    _tokens -= 1;
                    (granted ??= []).Add(waiter);
                }
            }
            _tokens = Math.Min(_tokens, _capacity);
        }
        foreach (var waiter in granted ?? [])
        {
            if (!waiter.TrySetResult(Lease.Acquired))
            {
                lock (_lock)
                {
                    _tokens = Math.Min(_tokens + 1, _capacity); // cancelled in between: the token goes back
                }
            }
        }
    }

    public void Dispose()
    {
        _timer.Dispose();
        lock (_lock)
        {
            while (_waiting.TryDequeue(out var waiter))
            {
                waiter.TrySetResult(Lease.Refused);
            }
        }
    }

    /// <summary>The two leases this bucket hands out; nothing to release (tokens are not returned).</summary>
    private sealed class Lease(bool acquired) : RateLimitLease
    {
        public static readonly Lease Acquired = new(true);
        public static readonly Lease Refused = new(false);

        public override bool IsAcquired { get; } = acquired;

        public override IEnumerable<string> MetadataNames => [];

        public override bool TryGetMetadata(string metadataName, out object? metadata)
        {
            metadata = null;
            return false;
        }
    }
}
