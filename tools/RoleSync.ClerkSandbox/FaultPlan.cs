namespace RoleSync.ClerkSandbox;

/// <summary>Injected faults: counters taken one per request without locks, plus latency and the trace-id switch (held PATCHes: <see cref="PatchHolds"/>).</summary>
internal sealed class FaultPlan
{
    private int _drop;
    private int _fail;
    private int _failStatus = 503;
    private int _proxyFail;
    private int _proxyStatus = 404;
    private int _proxyPage;
    private int _rateLimit;
    private long _rateLimitRetryAfterTicks;
    private long _latencyTicks;
    private volatile bool _omitTraceId;

    public TimeSpan Latency
    {
        get => TimeSpan.FromTicks(Volatile.Read(ref _latencyTicks));
        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, TimeSpan.Zero);
            Volatile.Write(ref _latencyTicks, value.Ticks);
        }
    }

    public bool OmitTraceId
    {
        get => _omitTraceId;
        set => _omitTraceId = value;
    }

    public void DropNext(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        Volatile.Write(ref _drop, count);
    }

    public void FailNext(int count, int statusCode)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfLessThan(statusCode, 400);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(statusCode, 599);
        Volatile.Write(ref _failStatus, statusCode);
        Volatile.Write(ref _fail, count);
    }

    public void FailNextLikeAProxy(int count, int statusCode, ProxyPage page)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfLessThan(statusCode, 400);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(statusCode, 599);
        if (!Enum.IsDefined(page))
        {
            throw new ArgumentOutOfRangeException(nameof(page), page, "Not a ProxyPage.");
        }

        Volatile.Write(ref _proxyStatus, statusCode);
        Volatile.Write(ref _proxyPage, (int)page);
        Volatile.Write(ref _proxyFail, count);
    }

    public void RateLimitNext(int count, TimeSpan retryAfter)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfLessThan(retryAfter, TimeSpan.Zero);
        Volatile.Write(ref _rateLimitRetryAfterTicks, retryAfter.Ticks);
        Volatile.Write(ref _rateLimit, count);
    }

    public bool TryTakeDrop() => TryTake(ref _drop);

    public bool TryTakeFail(out int statusCode)
    {
        statusCode = Volatile.Read(ref _failStatus);
        return TryTake(ref _fail);
    }

    public bool TryTakeProxyFail(out int statusCode, out ProxyPage page)
    {
        statusCode = Volatile.Read(ref _proxyStatus);
        page = (ProxyPage)Volatile.Read(ref _proxyPage);
        return TryTake(ref _proxyFail);
    }

    public bool TryTakeRateLimit(out TimeSpan retryAfter)
    {
        retryAfter = TimeSpan.FromTicks(Volatile.Read(ref _rateLimitRetryAfterTicks));
        return TryTake(ref _rateLimit);
    }

    private static bool TryTake(ref int remaining)
    {
        while (true)
        {
            int current = Volatile.Read(ref remaining);
            if (current <= 0)
            {
                return false;
            }

            if (Interlocked.CompareExchange(ref remaining, current - 1, current) == current)
            {
                return true;
            }
        }
    }
}
