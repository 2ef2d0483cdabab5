using System.Collections.Concurrent;

namespace RoleSync.Clerk;

/// <summary>
/// Clerk's per-membership limit (10 writes per 10 s on one membership) pre-empted client side: a write waits until
/// fewer than <c>perWindow</c> writes of its membership went out in the last window. Hand-written rather than a
/// <c>PartitionedRateLimiter</c> because the library's replenishing limiters follow the system clock, not the
/// injected <see cref="TimeProvider"/> (tests advance a fake clock); it is a sliding log of send times per membership.
/// </summary>
internal sealed class MembershipWriteLimiter(int perWindow, TimeSpan window, TimeProvider time)
{
    /// <summary>Idle memberships are forgotten once this many are remembered.</summary>
    private const int PruneAbove = 10_000;

    private readonly ConcurrentDictionary<string, Slot> _slots = new(StringComparer.Ordinal);

    /// <summary>Waits until a write to the membership <paramref name="key"/> may go out, and counts it.</summary>
    public async ValueTask WaitAsync(string key, CancellationToken cancellationToken)
    {
        if (_slots.Count > PruneAbove)
        {
            Prune();
        }
        var slot = _slots.GetOrAdd(key, static _ => new Slot());
        await slot.Gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            while (true)
            {
                var now = time.GetUtcNow();
                while (slot.Sent.Count > 0 && now - slot.Sent.Peek() >= window)
                {
                    slot.Sent.Dequeue();
                }
                if (slot.Sent.Count < perWindow)
                {
                    slot.Sent.Enqueue(now);
                    return;
                }
                await Task.Delay(window - (now - slot.Sent.Peek()), time, cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            slot.Gate.Release();
        }
    }

    private void Prune()
    {
        var now = time.GetUtcNow();
        foreach (var (key, slot) in _slots)
        {
            if (slot.Gate.Wait(0))
            {
                try
                {
                    if (slot.Sent.Count == 0 || now - slot.Sent.Last() >= window)
                    {
                        _slots.TryRemove(key, out _);
                    }
                }
                finally
                {
                    slot.Gate.Release();
                }
            }
        }
    }

    private sealed class Slot
    {
        public SemaphoreSlim Gate { get; } = new(1, 1);

        public Queue<DateTimeOffset> Sent { get; } = new();
    }
}
