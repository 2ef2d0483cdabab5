namespace RoleSync.ClerkSandbox;

/// <summary>
/// Fixed-window counter: windows are consecutive slices of <c>window</c> length counted from the Unix epoch on the given clock.
/// Every call counts, including rejected ones.
/// </summary>
internal sealed class FixedWindowLimiter(int limit, TimeSpan window)
{
    private readonly Lock _gate = new();
    private long _windowIndex = long.MinValue;
    private int _count;

    /// <summary>False when the window's limit is used up; <paramref name="retryAfter"/> is then the time left in the window.</summary>
    public bool TryAcquire(DateTimeOffset now, out TimeSpan retryAfter)
    {
        long ticks = now.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks;
        long index = ticks / window.Ticks;
        int count;
        lock (_gate)
        {
            if (index != _windowIndex)
            {
                _windowIndex = index;
                _count = 0;
            }

            count = ++_count;
        }

        retryAfter = TimeSpan.FromTicks(((index + 1) * window.Ticks) - ticks);
        return count <= limit;
    }
}
