using System.Threading.Channels;
using RoleSync.Contract;
using RoleSync.Lifecycle;
using RoleSync.Processing;

namespace RoleSync.Cli;

/// <summary>
/// Runs role changes at most <paramref name="concurrency"/> at a time and hands their results back in input order.
/// Changes to the same membership run one after another in input order. A transient outcome is tried again, up to
/// <paramref name="maxAttempts"/> attempts in all, after the Retry-After Clerk asked for or an exponential backoff;
/// after the last attempt it is reported with reason <see cref="Reasons.RetriesExhausted"/>.
/// </summary>
internal sealed class ApplyRunner(
    Func<RoleChange, CancellationToken, Task<ProcessingResult>> process,
    int concurrency,
    int maxAttempts,
    TimeSpan retryBaseDelay,
    TimeProvider timeProvider,
    RoleChangeResolver? resolver = null)
{
    /// <summary>Longest pause between two attempts, whatever Retry-After says.</summary>
    public static readonly TimeSpan MaxRetryDelay = TimeSpan.FromMinutes(5);

    /// <summary>Longest backoff without a Retry-After.</summary>
    public static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(30);

    /// <summary>Messages read ahead of the oldest unfinished one (bounds memory on large inputs).</summary>
    private const int ReadAhead = 1024;

    private readonly SemaphoreSlim _slots = new(concurrency, concurrency);

    /// <summary>Processes every line and calls <paramref name="onResult"/> once per line, in input order.</summary>
    public async Task RunAsync(IAsyncEnumerable<InputLine> lines, Func<InputLine, ProcessingResult, Task> onResult, CancellationToken ct)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var queue = Channel.CreateBounded<(InputLine Line, Task<ProcessingResult> Result)>(
            new BoundedChannelOptions(ReadAhead) { SingleReader = true, SingleWriter = true });
        var producer = Task.Run(() => ScheduleAllAsync(lines, queue.Writer, stop.Token), CancellationToken.None);
        try
        {
            await foreach (var (line, result) in queue.Reader.ReadAllAsync(stop.Token).ConfigureAwait(false))
            {
                await onResult(line, await result.ConfigureAwait(false)).ConfigureAwait(false);
            }
        }
        catch
        {
            await stop.CancelAsync().ConfigureAwait(false); // stop the work still in flight
            throw;
        }
        await producer.ConfigureAwait(false);
    }

    /// <summary>The change with its user resolved, or null when that fails now (processing then reports why, or retries).</summary>
    private static async Task<RoleChange?> TryResolveAsync(RoleChangeResolver resolver, RoleChange change, CancellationToken ct)
    {
        try
        {
            return (await resolver.ResolveAsync(change, ct).ConfigureAwait(false)).Change;
        }
        catch (Exception ex) when (ex is LedgerUnavailableException or Secrets.ClerkSecretUnavailableException)
        {
            return null;
        }
    }

    private async Task ScheduleAllAsync(IAsyncEnumerable<InputLine> lines, ChannelWriter<(InputLine, Task<ProcessingResult>)> queue, CancellationToken ct)
    {
        // The last scheduled change of each membership: the next one for that membership waits for it.
        var tails = new Dictionary<(string, string), Task>();
        try
        {
            await foreach (var line in lines.WithCancellation(ct).ConfigureAwait(false))
            {
                var now = timeProvider.GetUtcNow();
                var parse = (resolver?.Roles ?? RoleMapper.None).Parse(line.Utf8(), now);
                Task<ProcessingResult> result;
                if (parse.Change is { } parsed)
                {
                    var change = parsed with { ReceivedAt = now }; // the CLI received it when it read the line (effective time)
                    if (!change.IsResolved && resolver is not null && await TryResolveAsync(resolver, change, ct).ConfigureAwait(false) is { } resolved)
                    {
                        change = resolved; // by its Clerk user id, so one person's changes run in input order whatever names them
                    }
                    var key = (change.OrganizationId, change.IsResolved ? change.UserId : change.Subject); // unresolved: processing reports why
                    result = RunInTurnAsync(tails.GetValueOrDefault(key), change, ct);
                    tails[key] = result;
                    if (tails.Count > 4 * ReadAhead)
                    {
                        foreach (var done in tails.Where(t => t.Value.IsCompleted).Select(t => t.Key).ToList())
                        {
                            tails.Remove(done);
                        }
                    }
                }
                else
                {
                    result = Task.FromResult(ProcessingResult.Invalid(parse));
                }
                await queue.WriteAsync((line, result), ct).ConfigureAwait(false);
            }
            queue.Complete();
        }
        catch (Exception ex)
        {
            queue.Complete(ex);
        }
    }

    private async Task<ProcessingResult> RunInTurnAsync(Task? previous, RoleChange change, CancellationToken ct)
    {
        if (previous is not null)
        {
            await previous.ConfigureAwait(false);
        }
        await _slots.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            return await ProcessWithRetriesAsync(change, ct).ConfigureAwait(false);
        }
        finally
        {
            _slots.Release();
        }
    }

    internal async Task<ProcessingResult> ProcessWithRetriesAsync(RoleChange change, CancellationToken ct)
    {
        for (int attempt = 1; ; attempt++)
        {
            var result = await process(change, ct).ConfigureAwait(false);
            if (result.Outcome != Outcome.Transient)
            {
                return result;
            }
            if (attempt >= maxAttempts)
            {
                return result with
                {
                    Reason = Reasons.RetriesExhausted,
                    Detail = ProcessingResult.CleanDetail($"{result.Reason} after {RolesyncCli.Plural(attempt, "attempt")}: {result.Detail}"),
                    RetryAfter = null,
                };
            }
            await Task.Delay(DelayAfter(result, attempt), timeProvider, ct).ConfigureAwait(false);
        }
    }

    /// <summary>Clerk's Retry-After when it sent one, else <c>retryBaseDelay × 2^(attempt-1)</c>; both capped.</summary>
    internal TimeSpan DelayAfter(ProcessingResult result, int attempt)
    {
        if (result.RetryAfter is { } retryAfter)
        {
            return retryAfter < TimeSpan.Zero ? TimeSpan.Zero : retryAfter > MaxRetryDelay ? MaxRetryDelay : retryAfter;
        }
        var backoff = retryBaseDelay * Math.Pow(2, Math.Min(attempt - 1, 20));
        return backoff > MaxBackoff ? MaxBackoff : backoff;
    }
}
