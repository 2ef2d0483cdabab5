namespace RoleSync.LoadTest;

/// <summary>Runs items through a driver with a fixed number of concurrent workers, timing each one.</summary>
public static class LoadRunner
{
    /// <param name="AllocatedBytes">Bytes allocated process-wide while the workers ran (the harness's own arrays are made before).</param>
    public sealed record Outcome(int Completed, int Failed, bool TimedOut, TimeSpan Elapsed, TimeSpan Cpu, long AllocatedBytes, double[] LatenciesMilliseconds, string? FirstError);

    /// <summary>
    /// <paramref name="concurrency"/> workers take the next item until all are done or <paramref name="deadline"/>
    /// passes (then in-flight work is canceled and the run is marked timed out). An exception counts as a failed message.
    /// </summary>
    public static async Task<Outcome> RunAsync(IDriver driver, WorkItem[] items, int concurrency, TimeSpan deadline)
    {
        using var cancellation = new CancellationTokenSource(deadline);
        var token = cancellation.Token;
        var latencies = new long[items.Length];
        var done = new bool[items.Length];
        int next = -1, failed = 0;
        string? firstError = null;

        long allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        var cpuBefore = Environment.CpuUsage.TotalTime;
        var started = Stopwatch.GetTimestamp();
        var workers = Enumerable.Range(0, concurrency).Select(_ => Task.Run(async () =>
        {
            int i;
            while (!token.IsCancellationRequested && (i = Interlocked.Increment(ref next)) < items.Length)
            {
                long start = Stopwatch.GetTimestamp();
                bool ok;
                try
                {
                    ok = await driver.SendAsync(items[i], token).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (token.IsCancellationRequested)
                {
                    return; // deadline: this item is not completed
                }
                catch (Exception ex)
                {
                    ok = false;
                    Interlocked.CompareExchange(ref firstError, $"{ex.GetType().Name}: {ex.Message}", null);
                }
                latencies[i] = Stopwatch.GetTimestamp() - start;
                done[i] = true;
                if (!ok)
                {
                    Interlocked.Increment(ref failed);
                }
            }
        }, CancellationToken.None)).ToArray();
        await Task.WhenAll(workers).ConfigureAwait(false);
        var elapsed = Stopwatch.GetElapsedTime(started);
        var cpu = Environment.CpuUsage.TotalTime - cpuBefore;
        long allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;

        var completed = new List<double>(items.Length);
        for (int i = 0; i < items.Length; i++)
        {
            if (done[i])
            {
                completed.Add(latencies[i] * 1000.0 / Stopwatch.Frequency);
            }
        }
        return new Outcome(completed.Count, failed, cancellation.IsCancellationRequested && completed.Count < items.Length, elapsed, cpu, allocated, [.. completed], firstError);
    }

    /// <summary>Nearest-rank percentile of <paramref name="values"/> (sorted in place).</summary>
    public static double Percentile(double[] values, double percent)
    {
        if (values.Length == 0)
        {
            return double.NaN;
        }
        Array.Sort(values);
        int rank = (int)Math.Ceiling(percent / 100.0 * values.Length);
        return values[Math.Clamp(rank - 1, 0, values.Length - 1)];
    }
}
