using Microsoft.Extensions.Logging;

namespace RoleSync.Replay;

/// <summary>
/// Replay by request id: the first call records the request id with its selection (<see cref="ReplaySelection.Describe"/>)
/// before anything is sent, and every call records what it replayed; a call with a recorded id sends none of those
/// again (they are reported <see cref="ReplayStatus.AlreadyReplayed"/>) and carries on with the rest of the same
/// selection, so re-sending a request after a timeout, a <c>more: true</c> or a <c>retry-later</c> is safe. The same id
/// with another selection is refused. A dry run records nothing.
/// </summary>
/// <remarks>
/// The record is what a repeat checks first; the dead-letter queue is the second line: a replayed dead letter is
/// completed (with the send, in one transaction where the namespace allows it), and a copy sent twice after a crash
/// between send and complete carries the same MessageId, which the queue's duplicate detection drops.
/// </remarks>
public sealed partial class IdempotentReplayer(DeadLetterReplayer replayer, IOperatorRequestStore store, TimeProvider timeProvider, ILogger<IdempotentReplayer> logger)
{
    /// <summary>The store key of a replay request.</summary>
    public static string KeyOf(string requestId) => "replay:" + requestId;

    public async Task<ReplayRequestResult> ReplayAsync(string? requestId, ReplaySelection selection, bool dryRun, string caller, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(selection);
        if (requestId is null)
        {
            return new ReplayRequestResult(await replayer.ReplayAsync(selection, dryRun, caller, cancellationToken).ConfigureAwait(false), null);
        }
        var key = KeyOf(requestId);
        var fingerprint = selection.Describe();
        var recorded = await store.GetAsync(key, cancellationToken).ConfigureAwait(false);
        if (recorded is null && !dryRun)
        {
            recorded = await store.AddAsync(new OperatorRequestRecord(key, fingerprint, caller, timeProvider.GetUtcNow()), cancellationToken).ConfigureAwait(false);
        }
        if (recorded is not null && recorded.Fingerprint != fingerprint)
        {
            return new ReplayRequestResult(null, recorded);
        }

        var earlier = recorded is null ? [] : await store.GetReplayedAsync(key, cancellationToken).ConfigureAwait(false);
        var report = await replayer.ReplayAsync(selection with { Exclude = earlier.Select(e => e.SequenceNumber).ToHashSet() }, dryRun, caller, cancellationToken)
            .ConfigureAwait(false);
        var replayed = report.Items
            .Where(i => i is { Status: ReplayStatus.Replayed, NewMessageId: not null })
            .Select(i => new ReplayedDeadLetter(i.SequenceNumber, i.MessageId, i.NewMessageId!, i.EventId))
            .ToList();
        if (replayed.Count > 0)
        {
            try
            {
                await store.AddReplayedAsync(key, replayed, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // Sent and completed already: a repeat cannot find them in the dead-letter queue, so only the report of a repeat is poorer.
                LogNotRecorded(logger, requestId, replayed.Count, ex);
            }
        }
        var already = earlier.Select(e => new ReplayItem(
            e.SequenceNumber, e.MessageId, e.NewMessageId, e.EventId, ReplayStatus.AlreadyReplayed, false, "replayed by an earlier call with this requestId; not sent again"));
        return new ReplayRequestResult(ReplayReport.Of(report.DryRun, report.Mode, report.More, [.. already, .. report.Items], requestId), null);
    }

    [LoggerMessage(Level = LogLevel.Error, EventName = "ReplayNotRecorded",
        Message = "Replay request {RequestId}: {Count} dead letters were replayed but could not be recorded in the operator request store")]
    private static partial void LogNotRecorded(ILogger logger, string requestId, int count, Exception exception);
}
