using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace RoleSync.History;

/// <summary>
/// Enforces <c>History:RetentionDays</c>: deletes the history entries recorded longer ago. The <c>Reconcile</c> timer
/// calls <see cref="SweepIfDueAsync"/> after each pass; it sweeps at most once per <see cref="SweepInterval"/> per host
/// (the sweep reads the whole history table, which a 15-minute schedule need not pay for every time). A failed sweep is
/// logged and tried again on the next run.
/// </summary>
public sealed partial class HistoryRetention(IMembershipHistory history, IOptions<HistoryOptions> options, TimeProvider timeProvider, ILogger<HistoryRetention> logger)
{
    /// <summary>The least time between two sweeps of one host.</summary>
    public static readonly TimeSpan SweepInterval = TimeSpan.FromDays(1);

    private readonly Lock _gate = new();
    private DateTimeOffset? _lastSweep;

    /// <summary>Sweeps when due; returns how many entries were deleted, or null when no sweep ran (not due, or it failed).</summary>
    public async Task<int?> SweepIfDueAsync(CancellationToken cancellationToken = default)
    {
        var now = timeProvider.GetUtcNow();
        lock (_gate)
        {
            if (_lastSweep is { } last && now - last < SweepInterval)
            {
                return null;
            }
            _lastSweep = now;
        }
        var cutoff = now - TimeSpan.FromDays(options.Value.RetentionDays);
        try
        {
            var deleted = await history.DeleteOlderThanAsync(cutoff, cancellationToken).ConfigureAwait(false);
            LogSwept(logger, deleted, cutoff, options.Value.RetentionDays);
            return deleted;
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            lock (_gate)
            {
                _lastSweep = null;
            }
            LogSweepFailed(logger, ex, ex.GetType().Name);
            return null;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, EventName = "HistorySwept",
        Message = "History retention: deleted {Deleted} entries recorded before {Cutoff:O} (History:RetentionDays {RetentionDays})")]
    private static partial void LogSwept(ILogger logger, int deleted, DateTimeOffset cutoff, int retentionDays);

    [LoggerMessage(Level = LogLevel.Warning, EventName = "HistorySweepFailed",
        Message = "History retention sweep failed ({Error}); it is tried again on the next reconcile run")]
    private static partial void LogSweepFailed(ILogger logger, Exception exception, string error);
}
