using System.Collections.Concurrent;
using RoleSync.Messaging;
using RoleSync.Processing;

namespace RoleSync.LoadTest;

/// <summary>
/// One simulated host working off its backlog with <c>maxConcurrentCalls</c> workers, settled the way the queue
/// trigger settles (<see cref="SettlementPolicy.Decide"/>, the production policy): Complete ends the message, a
/// scheduled retry puts it back on the backlog after the policy's delay (as its retry copy would be enqueued), a dead
/// letter fails it. A retry that keeps the attempt number is a reschedule that spent no attempt (Clerk's limit spent).
/// </summary>
internal static class BacklogRunner
{
    /// <param name="Done">Messages completed (Applied, Stale or Duplicate).</param>
    /// <param name="Retried">Retries that spent an attempt.</param>
    /// <param name="Rescheduled">Retries that spent none (Clerk's shared limit spent).</param>
    /// <param name="Waits">Per message, Stopwatch ticks spent in ProcessAsync over all attempts.</param>
    public sealed record Result(int Done, int Failed, int Retried, int Rescheduled, long[] Waits, bool TimedOut, string? FirstError);

    public static async Task<Result> RunAsync(RoleSyncDriver driver, WorkItem[] items, int concurrency, RetryOptions retry, TimeSpan deadline)
    {
        using var cancellation = new CancellationTokenSource(deadline);
        var token = cancellation.Token;
        var backlog = new ConcurrentQueue<(int Index, int Attempt, int Copies, int Throttled)>(Enumerable.Range(0, items.Length).Select(i => (i, 1, 0, 0)));
        var waits = new long[items.Length];
        int remaining = items.Length, done = 0, failed = 0, retried = 0, rescheduled = 0;
        string? firstError = null;

        void End(ref int counter)
        {
            Interlocked.Increment(ref counter);
            Interlocked.Decrement(ref remaining);
        }

        async Task WorkAsync()
        {
            while (Volatile.Read(ref remaining) > 0 && !token.IsCancellationRequested)
            {
                if (!backlog.TryDequeue(out var next))
                {
                    // Only retry copies not yet due (or in flight elsewhere) may come back.
                    await Task.Delay(20, CancellationToken.None).ConfigureAwait(false);
                    continue;
                }
                long start = Stopwatch.GetTimestamp();
                ProcessingResult result;
                try
                {
                    result = await driver.ProcessAsync(items[next.Index], retry: next.Copies > 0, token).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (token.IsCancellationRequested)
                {
                    return;
                }
                catch (Exception ex)
                {
                    Interlocked.CompareExchange(ref firstError, $"{ex.GetType().Name}: {ex.Message}", null);
                    End(ref failed);
                    continue;
                }
                Interlocked.Add(ref waits[next.Index], Stopwatch.GetTimestamp() - start);
                switch (SettlementPolicy.Decide(result, next.Attempt, retry, DateTimeOffset.UtcNow, next.Throttled))
                {
                    case SettlementDecision.Complete:
                        End(ref done);
                        break;
                    case SettlementDecision.ScheduleRetry copy:
                        Interlocked.Increment(ref copy.NextAttempt > next.Attempt ? ref retried : ref rescheduled);
                        var again = (next.Index, copy.NextAttempt, next.Copies + 1, copy.Throttled);
                        _ = Task.Delay(copy.Delay, CancellationToken.None).ContinueWith(_ => backlog.Enqueue(again), TaskScheduler.Default);
                        break;
                    default:
                        Interlocked.CompareExchange(ref firstError, $"{result.Outcome} {result.Reason}: {result.Detail}", null);
                        End(ref failed);
                        break;
                }
            }
        }

        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(_ => Task.Run(WorkAsync, CancellationToken.None))).ConfigureAwait(false);
        return new Result(done, failed, retried, rescheduled, waits, Volatile.Read(ref remaining) > 0, firstError);
    }
}
