using System.Collections.Concurrent;
using RoleSync.Processing;

namespace RoleSync.LoadTest;

/// <summary>
/// One simulated host working off its backlog with <c>maxConcurrentCalls</c> workers, the way the queue trigger would:
/// an attempt that ends <see cref="Outcome.Transient"/> goes back on the backlog as its retry copy would (a retry,
/// i.e. one attempt spent) until <see cref="HostSlice.MaxAttempts"/>; anything else ends the message.
/// </summary>
internal static class BacklogRunner
{
    /// <param name="Done">Messages that ended well: Applied, or Unchanged/Duplicate after a retry.</param>
    /// <param name="Waits">Per message, Stopwatch ticks spent in ProcessAsync over all attempts.</param>
    public sealed record Result(int Done, int Failed, int Retried, long[] Waits, bool TimedOut, string? FirstError);

    public static async Task<Result> RunAsync(RoleSyncDriver driver, WorkItem[] items, int concurrency, int maxAttempts, TimeSpan deadline)
    {
        using var cancellation = new CancellationTokenSource(deadline);
        var token = cancellation.Token;
        var backlog = new ConcurrentQueue<(int Index, int Attempt)>(Enumerable.Range(0, items.Length).Select(i => (i, 1)));
        var waits = new long[items.Length];
        int remaining = items.Length, done = 0, failed = 0, retried = 0;
        string? firstError = null;

        async Task WorkAsync()
        {
            while (Volatile.Read(ref remaining) > 0 && !token.IsCancellationRequested)
            {
                if (!backlog.TryDequeue(out var next))
                {
                    // Only retries still in flight elsewhere may come back.
                    await Task.Delay(20, CancellationToken.None).ConfigureAwait(false);
                    continue;
                }
                long start = Stopwatch.GetTimestamp();
                ProcessingResult? result = null;
                try
                {
                    result = await driver.ProcessAsync(items[next.Index], retry: next.Attempt > 1, token).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (token.IsCancellationRequested)
                {
                    return;
                }
                catch (Exception ex)
                {
                    Interlocked.CompareExchange(ref firstError, $"{ex.GetType().Name}: {ex.Message}", null);
                }
                Interlocked.Add(ref waits[next.Index], Stopwatch.GetTimestamp() - start);
                switch (result?.Outcome)
                {
                    case Outcome.Applied or Outcome.Unchanged or Outcome.Duplicate:
                        Interlocked.Increment(ref done);
                        Interlocked.Decrement(ref remaining);
                        break;
                    case Outcome.Transient when next.Attempt < maxAttempts:
                        Interlocked.Increment(ref retried);
                        backlog.Enqueue((next.Index, next.Attempt + 1));
                        break;
                    default:
                        Interlocked.CompareExchange(ref firstError, result is null ? null : $"{result.Outcome} {result.Reason}: {result.Detail}", null);
                        Interlocked.Increment(ref failed);
                        Interlocked.Decrement(ref remaining);
                        break;
                }
            }
        }

        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(_ => Task.Run(WorkAsync, CancellationToken.None))).ConfigureAwait(false);
        return new Result(done, failed, retried, waits, Volatile.Read(ref remaining) > 0, firstError);
    }
}
