using System.Threading.RateLimiting;

namespace RoleSync.Clerk;

/// <summary>
/// A first-come-first-served token bucket whose rate changes (AIMD) and stops during a pause, on the injected
/// <see cref="TimeProvider"/>. Why hand-written: System.Threading.RateLimiting's <see cref="TokenBucketRateLimiter"/>
/// has a fixed rate and computes its refill from <c>Stopwatch</c> time, also when replenished by hand, so it can follow
/// neither a changing rate nor a fake clock (measured: it granted 2-3× its rate under a fake clock). Tokens accrue with
/// time at the current rate (none while paused), up to 1/20 of the share when nobody waits; a request takes one at
/// once or waits in line, and a timer from the TimeProvider is armed only while someone waits, for when the next token
/// is due. On a 429 it empties the bucket and pauses every request for Retry-After, halves the rate, then adds a tenth
/// of the share per quiet window until it is back at the share.
/// </summary>
internal sealed class AdaptiveTokenBucket : IDisposable
{
    /// <summary>The finest wake-up step: waiting requests are served in batches at most 1/100 of the window apart.</summary>
    private const int StepsPerWindow = 100;

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
    private DateTimeOffset _lastRefill;
    private DateTimeOffset _lastDecrease = DateTimeOffset.MinValue;
    private bool _armed;

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
        _lastRefill = _lastChange;
        _timer = time.CreateTimer(_ => Serve(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
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
                Refill(_time.GetUtcNow());
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
            var now = _time.GetUtcNow();
            Refill(now);
            if (_waiting.Count == 0 && _tokens >= 1 && now >= _pausedUntil)
            {
                _tokens -= 1;
                return ValueTask.FromResult<RateLimitLease>(Lease.Acquired);
            }
            // Continuations run inline where the permit is granted (the timer's callback, outside the lock): a hop to
            // the thread pool would cost a thread switch per request, and the model check's single thread forbids it.
            waiter = new TaskCompletionSource<RateLimitLease>();
            _waiting.Enqueue(waiter);
            Arm(now);
        }
        if (cancellationToken.CanBeCanceled)
        {
            var registration = cancellationToken.Register(state => Leave((TaskCompletionSource<RateLimitLease>)state!), waiter);
            _ = waiter.Task.ContinueWith(static (_, state) => ((CancellationTokenRegistration)state!).Dispose(), registration, CancellationToken.None,
                TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }
        return new ValueTask<RateLimitLease>(waiter.Task);
    }

    /// <summary>A waiter whose caller gave up: refused; when nobody else waits, the timer is stopped.</summary>
    private void Leave(TaskCompletionSource<RateLimitLease> waiter)
    {
        if (!waiter.TrySetResult(Lease.Refused))
        {
            return;
        }
        lock (_lock)
        {
            while (_waiting.TryPeek(out var gone) && gone.Task.IsCompleted)
            {
                _waiting.Dequeue();
            }
            if (_waiting.Count == 0 && _armed)
            {
                _armed = false;
                _timer.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
            }
        }
    }

    /// <summary>Clerk answered 429: pause every request for <paramref name="retryAfter"/>, halve the rate.</summary>
    public void OnTooManyRequests(TimeSpan retryAfter)
    {
        var now = _time.GetUtcNow();
        lock (_lock)
        {
            Refill(now);
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
            if (_waiting.Count > 0)
            {
                _armed = false;
                Arm(now);
            }
        }
    }

    /// <summary>
    /// Adds the tokens earned since the last refill, not counting a pause, at the current rate; the rate first grows by
    /// a tenth of the share for every whole quiet window since its last change. Caller holds the lock.
    /// </summary>
    private void Refill(DateTimeOffset now)
    {
        long quietWindows = (now - _lastChange).Ticks / _window.Ticks;
        if (_rate < Share && quietWindows > 0)
        {
            _rate = Math.Min(Share, _rate + (quietWindows * Math.Max(1, Share / 10.0))); // additive increase
            _lastChange += _window * quietWindows;
        }
        var from = _lastRefill > _pausedUntil ? _lastRefill : _pausedUntil;
        if (now > from)
        {
            _tokens += _rate * ((now - from) / _window);
            if (_waiting.Count == 0 && _tokens > _capacity)
            {
                _tokens = _capacity; // a quiet bucket saves up at most its capacity
            }
        }
        if (now > _lastRefill)
        {
            _lastRefill = now;
        }
    }

    /// <summary>Arms the timer for when the next token is due (after a pause), unless it is armed. Caller holds the lock.</summary>
    private void Arm(DateTimeOffset now)
    {
        if (_armed)
        {
            return;
        }
        var start = _pausedUntil > now ? _pausedUntil - now : TimeSpan.Zero;
        var step = _window / StepsPerWindow;
        var untilToken = _tokens >= 1 ? TimeSpan.Zero : _window * ((1 - _tokens) / _rate);
        var due = start + (untilToken > step ? untilToken : step);
        _armed = true;
        _timer.Change(due, Timeout.InfiniteTimeSpan);
    }

    /// <summary>Hands the tokens earned so far to the waiting requests in arrival order; re-arms while some still wait.</summary>
    private void Serve()
    {
        List<TaskCompletionSource<RateLimitLease>>? granted = null;
        lock (_lock)
        {
            _armed = false;
            var now = _time.GetUtcNow();
            Refill(now);
            if (now >= _pausedUntil)
            {
                while (_tokens >= 1 && _waiting.TryPeek(out var waiter))
                {
                    _waiting.Dequeue();
                    if (!waiter.Task.IsCompleted) // a cancelled waiter costs no token
                    {
                        _tokens -= 1;
                        (granted ??= []).Add(waiter);
                    }
                }
            }
            while (_waiting.TryPeek(out var gone) && gone.Task.IsCompleted)
            {
                _waiting.Dequeue();
            }
            if (_waiting.Count > 0)
            {
                Arm(now);
            }
            else if (_tokens > _capacity)
            {
                _tokens = _capacity;
            }
        }
        foreach (var waiter in granted ?? [])
        {
            if (!waiter.TrySetResult(Lease.Acquired))
            {
                lock (_lock)
                {
                    _tokens += 1; // cancelled in between: the token goes back
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
