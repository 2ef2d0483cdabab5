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

    private const int Batch = 100;

    public async Task<DeadLetterPage> ListAsync(string? reason, string? organizationId, int limit, long fromSequenceNumber, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(limit, MaxPerCall);
        var items = new List<DeadLetterView>();
        long next = fromSequenceNumber;
        for (int scanned = 0; scanned < MaxScanned;)
        {
            var batch = await queue.PeekAsync(next, Batch, cancellationToken).ConfigureAwait(false);
            if (batch.Count == 0)
            {
                return new DeadLetterPage(items, null);
            }
            foreach (var message in batch)
            {
                scanned++;
                next = message.SequenceNumber + 1;
                var view = View(message);
                if (Matches(view, reason, organizationId))
                {
                    items.Add(view);
                    if (items.Count == limit)
                    {
                        return new DeadLetterPage(items, next);
                    }
                }
            }
        }
        return new DeadLetterPage(items, next);
    }

    public async Task<ReplayReport> ReplayAsync(ReplaySelection selection, bool dryRun, string caller, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(selection);
        var wanted = selection.SequenceNumbers?.ToHashSet();
        int max = wanted?.Count ?? selection.Max;
        ArgumentOutOfRangeException.ThrowIfGreaterThan(max, MaxPerCall);
        var items = new List<ReplayItem>();
        var held = new List<ServiceBusReceivedMessage>();
        ReplayMode? mode = null;
        bool more = false;
        var signature = await signer.GetSignatureAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var scan = dryRun ? PeekAllAsync(cancellationToken) : ReceiveAllAsync(held, cancellationToken);
            await foreach (var message in scan.ConfigureAwait(false))
            {
                var view = View(message);
                bool selected = wanted is not null ? wanted.Remove(message.SequenceNumber) : Matches(view, selection.Reason, selection.OrganizationId);
                if (!selected)
                {
                    continue;
                }
                if (items.Count == max)
                {
                    more = true;
                    break;
                }
                var stale = await IsStaleAsync(message, cancellationToken).ConfigureAwait(false);
                var copy = MessageCopies.ReplayCopy(message, MessageLineage.Read(message, signature, deadLetter: true), signature);
                var newMessageId = copy.MessageId;
                if (dryRun)
                {
                    items.Add(new ReplayItem(message.SequenceNumber, message.MessageId, newMessageId, view.EventId, ReplayStatus.WouldReplay, stale, StaleDetail(stale)));
                    continue;
                }
                held.Remove(message);
                try
                {
                    mode = await queue.ResendAsync(message, copy, cancellationToken).ConfigureAwait(false);
                    items.Add(new ReplayItem(message.SequenceNumber, message.MessageId, newMessageId, view.EventId, ReplayStatus.Replayed, stale, StaleDetail(stale)));
                }
                catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
                {
                    items.Add(new ReplayItem(message.SequenceNumber, message.MessageId, null, view.EventId, ReplayStatus.Failed, stale,
                        $"{ex.GetType().Name}: {ex.Message}"));
                }
                if (wanted is { Count: 0 })
                {
                    break;
                }
            }
        }
        finally
        {
            foreach (var message in held)
            {
                try
                {
                    await queue.ReleaseAsync(message, CancellationToken.None).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    // The lock was lost already (a long call): the message is back in the dead-letter queue anyway.
                }
            }
        }
        foreach (var missing in wanted ?? [])
        {
            items.Add(new ReplayItem(missing, "", null, null, ReplayStatus.NotFound, false, "no dead letter with this sequence number"));
        }

        var report = new ReplayReport(
            dryRun,
            mode,
            items.Count(i => i.Status != ReplayStatus.NotFound),
            items.Count(i => i.Status == ReplayStatus.Replayed),
            items.Count(i => i.Status == ReplayStatus.Failed),
            items.Count(i => i.Status == ReplayStatus.NotFound),
            more,
            items);
        LogAudit(logger, caller, dryRun, DescribeSelection(selection), report.Selected, report.Replayed, report.Failed, report.NotFound,
            mode is { } m ? KebabCaseEnumConverter<ReplayMode>.NameOf(m) : null,
            JsonSerializer.Serialize(items.Select(i => $"{i.SequenceNumber}:{KebabCaseEnumConverter<ReplayStatus>.NameOf(i.Status)}{(i.Stale ? ":stale" : "")}")));
        return report;
    }

    private async IAsyncEnumerable<ServiceBusReceivedMessage> PeekAllAsync([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        long next = 0;
        for (int scanned = 0; scanned < MaxScanned;)
        {
            var batch = await queue.PeekAsync(next, Batch, cancellationToken).ConfigureAwait(false);
            if (batch.Count == 0)
            {
                yield break;
            }
            foreach (var message in batch)
            {
                scanned++;
                next = message.SequenceNumber + 1;
                yield return message;
            }
        }
    }

    /// <summary>Receives dead letters (locked) one batch at a time; every received message is in <paramref name="held"/> until settled or released.</summary>
    private async IAsyncEnumerable<ServiceBusReceivedMessage> ReceiveAllAsync(List<ServiceBusReceivedMessage> held, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var seen = new HashSet<long>();
        while (seen.Count < MaxScanned)
        {
            var batch = await queue.ReceiveAsync(Batch, cancellationToken).ConfigureAwait(false);
            if (batch.Count == 0)
            {
                yield break;
            }
            held.AddRange(batch); // locked until settled or released, even if the caller stops early
            foreach (var message in batch)
            {
                if (!seen.Add(message.SequenceNumber))
                {
                    yield break; // wrapped around: a message we released came back
                }
                yield return message;
            }
        }
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

    private DeadLetterView View(ServiceBusReceivedMessage message)
    {
        var parse = RoleChangeParser.Parse(message.Body.ToMemory().Span, timeProvider.GetUtcNow());
        var change = parse.Change;
        return new DeadLetterView(
            message.SequenceNumber,
            message.MessageId,
            change?.EventId ?? parse.EventId,
            change?.OrganizationId,
            change?.UserId,
            change?.Role,
            message.DeadLetterReason,
            message.DeadLetterErrorDescription,
            message.EnqueuedTime,
            message.DeliveryCount);
    }

    private static bool Matches(DeadLetterView view, string? reason, string? organizationId) =>
        (reason is null || string.Equals(view.DeadLetterReason, reason, StringComparison.Ordinal))
        && (organizationId is null || string.Equals(view.OrganizationId, organizationId, StringComparison.Ordinal));

    private static string DescribeSelection(ReplaySelection s) => s.SequenceNumbers is { } numbers
        ? $"sequenceNumbers={string.Join(',', numbers)}"
        : $"reason={s.Reason ?? "*"} organizationId={s.OrganizationId ?? "*"} max={s.Max}";

    [LoggerMessage(Level = LogLevel.Information, EventName = "ReplayAudit",
        Message = "Dead-letter replay by {Caller}: dryRun={DryRun} selection [{Selection}] selected={Selected} replayed={Replayed} failed={Failed} notFound={NotFound} mode={Mode} items={Items}")]
    private static partial void LogAudit(ILogger logger, string caller, bool dryRun, string selection, int selected, int replayed, int failed, int notFound, string? mode, string items);
}
