using System.Collections.Concurrent;

namespace RoleSync.ClerkSandbox;

/// <summary>Counters (always kept) and recorded requests (when enabled), both lock-free.</summary>
internal sealed class RequestJournal(bool recordRequests)
{
    private readonly ConcurrentQueue<(long Sequence, RecordedRequest Request)> _entries = new();
    private readonly ConcurrentQueue<LandedPatch> _landed = new();
    private long _sequence;
    private int _requestCount;
    private int _patchCount;
    private int _rateLimitedCount;

    public bool RecordRequests => recordRequests;

    public int RequestCount => Volatile.Read(ref _requestCount);

    public int PatchCount => Volatile.Read(ref _patchCount);

    public int RateLimitedCount => Volatile.Read(ref _rateLimitedCount);

    /// <summary>Counts an arriving request and returns its arrival number.</summary>
    public long Arrive(bool isPatch)
    {
        Interlocked.Increment(ref _requestCount);
        if (isPatch)
        {
            Interlocked.Increment(ref _patchCount);
        }

        return Interlocked.Increment(ref _sequence);
    }

    public void CountRateLimited() => Interlocked.Increment(ref _rateLimitedCount);

    public void Record(long sequence, RecordedRequest request) => _entries.Enqueue((sequence, request));

    /// <summary>A held PATCH was applied (kept whether or not requests are recorded: tests of late PATCHes need it).</summary>
    public void RecordLanded(LandedPatch landed) => _landed.Enqueue(landed);

    /// <summary>Held PATCHes applied so far, in the order they landed.</summary>
    public IReadOnlyList<LandedPatch> LandedSnapshot() => [.. _landed];

    /// <summary>Recorded requests in arrival order.</summary>
    public IReadOnlyList<RecordedRequest> Snapshot() =>
        [.. _entries.ToArray().OrderBy(e => e.Sequence).Select(e => e.Request)];

    public void Clear()
    {
        _entries.Clear();
        _landed.Clear();
        Interlocked.Exchange(ref _requestCount, 0);
        Interlocked.Exchange(ref _patchCount, 0);
        Interlocked.Exchange(ref _rateLimitedCount, 0);
    }
}
