using System.Text.Json;
using Azure.Messaging.ServiceBus;
using Microsoft.Extensions.Logging;
using RoleSync.Contract;
using RoleSync.Ledger;
using RoleSync.Messaging;
using RoleSync.Processing;

namespace RoleSync.Replay;

/// <summary>
/// Lists dead letters and sends chosen ones back to the queue. A replayed copy (<see cref="MessageCopies.ReplayCopy"/>)
/// keeps the original body (so its original occurredAt, and the ledger still refuses to let it overwrite a newer
/// change), properties and CorrelationId, gets a new MessageId (<c>{MessageId}~replay{SequenceNumber}</c> of the dead
/// letter, so duplicate detection cannot drop it, yet drops a second replay of the same dead letter) and a fresh retry
/// budget; the dead letter's <c>rolesync-*</c> properties count only when RoleSync's signature over them verifies
/// (<see cref="MessageLineage"/>). Every replay call is logged as one audit record.
/// </summary>
public sealed partial class DeadLetterReplayer(
    IDeadLetterQueue queue, IMembershipLedger ledger, MessageSigner signer, TimeProvider timeProvider, ILogger<DeadLetterReplayer> logger)
{
    public const int MaxPerCall = 500;

    /// <summary>How many dead letters one call may look at to find its selection (bounds time and lock holding).</summary>
    public const int MaxScanned = 5000;

    /// <summary>
    /// A received dead letter whose lock ends sooner than this is not sent but reported
    /// <see cref="ReplayStatus.RetryLater"/>: the send and the complete must both happen inside the lock.
    /// </summary>
    public static readonly TimeSpan LockMargin = TimeSpan.FromSeconds(10);

    public async Task<DeadLetterPage> ListAsync(string? reason, string? organizationId, int limit, long fromSequenceNumber, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(limit, MaxPerCall);
        var items = new List<DeadLetterView>();
        long next = fromSequenceNumber;
        var scan = new DeadLetterScan(queue);
        await foreach (var message in scan.PeekAsync(fromSequenceNumber, long.MaxValue, cancellationToken).ConfigureAwait(false))
        {
            next = message.SequenceNumber + 1;
            var view = DeadLetterView.From(message, timeProvider.GetUtcNow());
            if (Matches(view, reason, organizationId))
            {
                items.Add(view);
                if (items.Count == limit)
                {
                    return new DeadLetterPage(items, next);
                }
            }
        }
        return new DeadLetterPage(items, scan.Complete ? null : next);
    }

    /// <summary>
    /// Replays <paramref name="selection"/>: receives dead letters one page at a time (each selected one is sent and
    /// completed right after it is received, inside its lock), sends nothing above
    /// <see cref="ReplaySelection.MaxSequenceNumber"/> or in <see cref="ReplaySelection.Exclude"/>, and reports a
    /// dead letter whose lock was lost <see cref="ReplayStatus.RetryLater"/>. A dry run peeks only.
    /// </summary>
    public async Task<ReplayReport> ReplayAsync(ReplaySelection selection, bool dryRun, string caller, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(selection);
        var wanted = selection.SequenceNumbers?.Where(n => !selection.Exclude.Contains(n)).ToHashSet();
        int max = wanted?.Count ?? selection.Max;
        ArgumentOutOfRangeException.ThrowIfGreaterThan(max, MaxPerCall);
        long upTo = Math.Min(selection.MaxSequenceNumber ?? long.MaxValue, wanted is { Count: > 0 } ? wanted.Max() : long.MaxValue);
        var items = new List<ReplayItem>();
        var held = new List<ServiceBusReceivedMessage>();
        ReplayMode? mode = null;
        bool more = false;
        var signature = await signer.GetSignatureAsync(cancellationToken).ConfigureAwait(false);
        var scan = new DeadLetterScan(queue);
        try
        {
            bool stopped = wanted is { Count: 0 };
            var messages = stopped ? AsyncEnumerable.Empty<ServiceBusReceivedMessage>()
                : dryRun ? scan.PeekAsync(0, upTo, cancellationToken) : scan.ReceiveAsync(held, upTo, cancellationToken);
            await foreach (var message in messages.ConfigureAwait(false))
            {
                var view = DeadLetterView.From(message, timeProvider.GetUtcNow());
                bool selected = message.SequenceNumber <= upTo && !selection.Exclude.Contains(message.SequenceNumber)
                    && (wanted is not null ? wanted.Remove(message.SequenceNumber) : Matches(view, selection.Reason, selection.OrganizationId));
                if (!selected)
                {
                    continue;
                }
                if (items.Count == max)
                {
                    (more, stopped) = (true, true);
                    break;
                }
                var stale = await IsStaleAsync(message, cancellationToken).ConfigureAwait(false);
                var copy = MessageCopies.ReplayCopy(message, MessageLineage.Read(message, signature, deadLetter: true), signature);
                ReplayItem Item(ReplayStatus status, string? newMessageId, string? detail) =>
                    new(message.SequenceNumber, message.MessageId, newMessageId, view.EventId, status, stale, detail ?? StaleDetail(stale));
                if (dryRun)
                {
                    items.Add(Item(ReplayStatus.WouldReplay, copy.MessageId, null));
                }
                else if (message.LockedUntil != default && message.LockedUntil - timeProvider.GetUtcNow() < LockMargin)
                {
                    items.Add(Item(ReplayStatus.RetryLater, null, "its lock expires before it could be sent and completed; it stays in the dead-letter queue"));
                }
                else
                {
                    try
                    {
                        mode = await queue.ResendAsync(message, copy, cancellationToken).ConfigureAwait(false);
                        held.Remove(message); // settled; anything that failed is released below
                        items.Add(Item(ReplayStatus.Replayed, copy.MessageId, null));
                    }
                    catch (ServiceBusException ex) when (ex.Reason == ServiceBusFailureReason.MessageLockLost)
                    {
                        items.Add(Item(ReplayStatus.RetryLater, null,
                            "the lock on the dead letter was lost; it stays in the dead-letter queue (if the copy was sent already, a second replay's copy has the same MessageId, which duplicate detection drops)"));
                    }
                    catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
                    {
                        items.Add(Item(ReplayStatus.Failed, null, $"{ex.GetType().Name}: {ex.Message}"));
                    }
                }
                if (wanted is { Count: 0 })
                {
                    stopped = true;
                    break;
                }
            }
            more |= wanted is null && !stopped && !scan.Complete; // the walk hit its bound, or a lock expired on the way
        }
        finally
        {
            await scan.ReleaseAsync(held).ConfigureAwait(false);
        }
        foreach (var missing in wanted ?? [])
        {
            items.Add(await MissingAsync(missing, dryRun, cancellationToken).ConfigureAwait(false));
        }

        var report = ReplayReport.Of(dryRun, mode, more, items);
        LogAudit(logger, caller, dryRun, selection.SequenceNumbers is null ? $"{selection.Describe()} max={max}" : selection.Describe(),
            report.Selected, report.Replayed, report.Failed, report.NotFound, report.RetryLater,
            mode is { } m ? KebabCaseEnumConverter<ReplayMode>.NameOf(m) : null,
            JsonSerializer.Serialize(items.Select(i => $"{i.SequenceNumber}:{KebabCaseEnumConverter<ReplayStatus>.NameOf(i.Status)}{(i.Stale ? ":stale" : "")}")));
        return report;
    }

    /// <summary>
    /// A requested sequence number the walk did not lock: <see cref="ReplayStatus.NotFound"/> when no dead letter has
    /// it, else <see cref="ReplayStatus.RetryLater"/> (another receiver holds its lock, or its lock expired).
    /// </summary>
    private async Task<ReplayItem> MissingAsync(long sequenceNumber, bool dryRun, CancellationToken cancellationToken)
    {
        if (!dryRun && await queue.PeekAsync(sequenceNumber, 1, cancellationToken).ConfigureAwait(false) is [var there] && there.SequenceNumber == sequenceNumber)
        {
            return new ReplayItem(sequenceNumber, there.MessageId, null, DeadLetterView.From(there, timeProvider.GetUtcNow()).EventId, ReplayStatus.RetryLater, false,
                "the dead letter is there but this call could not lock it (another receiver holds it, or its lock expired); send the request again");
        }
        return new ReplayItem(sequenceNumber, "", null, null, ReplayStatus.NotFound, false, "no dead letter with this sequence number");
    }

    private async Task<bool> IsStaleAsync(ServiceBusReceivedMessage message, CancellationToken cancellationToken)
    {
        var change = RoleChangeParser.Parse(message.Body.ToMemory().Span, timeProvider.GetUtcNow()).Change is { } parsed
            ? parsed with { ReceivedAt = message.EnqueuedTime == default ? null : message.EnqueuedTime }
            : null;
        if (change is null)
        {
            return false;
        }
        try
        {
            var record = await ledger.GetAsync(change.OrganizationId, change.UserId, cancellationToken).ConfigureAwait(false);
            return Ordering.Decide(change, record) is OrderingDecision.Stale;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return false; // the processor decides for sure when the copy arrives
        }
    }

    private static string? StaleDetail(bool stale) =>
        stale ? "a newer change for this membership is already known; the replayed copy will complete as stale without calling Clerk" : null;

    private static bool Matches(DeadLetterView view, string? reason, string? organizationId) =>
        (reason is null || string.Equals(view.DeadLetterReason, reason, StringComparison.Ordinal))
        && (organizationId is null || string.Equals(view.OrganizationId, organizationId, StringComparison.Ordinal));

    [LoggerMessage(Level = LogLevel.Information, EventName = "ReplayAudit",
        Message = "Dead-letter replay by {Caller}: dryRun={DryRun} selection [{Selection}] selected={Selected} replayed={Replayed} failed={Failed} notFound={NotFound} retryLater={RetryLater} mode={Mode} items={Items}")]
    private static partial void LogAudit(ILogger logger, string caller, bool dryRun, string selection, int selected, int replayed, int failed, int notFound, int retryLater, string? mode, string items);
}
