using Azure.Messaging.ServiceBus;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RoleSync.Messaging;
using RoleSync.Processing;

namespace RoleSync.Functions.Messaging;

/// <summary>
/// Carries out the settlement policy (<see cref="SettlementPolicy"/>) with the trigger's
/// <see cref="ServiceBusMessageActions"/> and, for retries, a <see cref="ServiceBusSender"/> on the same queue: the only
/// I/O of settlement. A message is completed only when its outcome is final or its retry copy is enqueued. A failing
/// settlement call is logged and rethrown (the lock then expires and the broker redelivers).
/// </summary>
/// <remarks>
/// <para>
/// The retry copy cannot be made (no key to sign it: the Clerk secret key is unavailable) or scheduled: the message is
/// left unsettled, so it comes back after the queue's lock duration (no hot redelivery), and on the last delivery
/// RoleSync counts on it is dead-lettered with the transient cause as the reason
/// (<see cref="SettlementPolicy.WhenRetryCopyFails"/>). Worst case, e.g. Key Vault down from a cold start: about
/// <c>ServiceBus:MaxDeliveryCount</c> − 1 deliveries, one lock duration apart, then a dead letter to replay.
/// </para>
/// <para>
/// The copy was scheduled but completing the original fails: the original is abandoned, which succeeds only while
/// it is still on the queue, and then the copy is cancelled, so the original, redelivered at once, is the only
/// lineage; its next copy's MessageId carries its DeliveryCount (<see cref="MessageProperties.RetryMessageId"/>), so
/// duplicate detection does not drop it as the cancelled copy. The copy is never cancelled when the abandon fails:
/// the complete may have happened after all, and the copy is then the change's only carrier. So what remains is a
/// second lineage when the abandon fails (and the original was in fact not completed) or the cancel fails: both run,
/// and the ledger absorbs the second (<c>Duplicate</c> once either applied, <c>Resume</c> while neither did); their
/// copies merge again once both are on a first delivery of the same attempt (same MessageId). Only a change Clerk
/// rejects is then PATCHed and dead-lettered once per lineage.
/// </para>
/// </remarks>
public sealed partial class MessageSettler(
    ServiceBusSender sender,
    IOptions<RetryOptions> retryOptions,
    IOptions<DeliveryOptions> deliveryOptions,
    TimeProvider timeProvider,
    ILogger<MessageSettler> logger)
{
    private readonly record struct Scheduled(long? SequenceNumber, string? CopyMessageId, string? Failure);

    /// <summary>
    /// Settles <paramref name="message"/>, whose verified <paramref name="lineage"/> gives the attempt, with
    /// <paramref name="signature"/> (null: no key) signing the copy or the dead letter.
    /// </summary>
    public async Task<SettlementResult> SettleAsync(
        ServiceBusReceivedMessage message,
        ServiceBusMessageActions actions,
        ProcessingResult result,
        MessageLineage lineage,
        MessageSignature? signature,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(actions);
        ArgumentNullException.ThrowIfNull(lineage);
        var decision = SettlementPolicy.Decide(result, lineage.Attempt, retryOptions.Value, timeProvider.GetUtcNow(), lineage.Throttled);
        switch (decision)
        {
            case SettlementDecision.DeadLetter deadLetter:
                await DeadLetterAsync(message, actions, result, lineage, signature, deadLetter, cancellationToken).ConfigureAwait(false);
                return new SettlementResult(SettlementAction.DeadLettered, decision);

            case SettlementDecision.ScheduleRetry retry:
                return await RetryAsync(message, actions, result, lineage, signature, retry, cancellationToken).ConfigureAwait(false);

            default:
                await LoggedAsync(SettlementAction.Completed, message, result, () => actions.CompleteMessageAsync(message, cancellationToken)).ConfigureAwait(false);
                return new SettlementResult(SettlementAction.Completed, decision);
        }
    }

    private async Task<SettlementResult> RetryAsync(
        ServiceBusReceivedMessage message, ServiceBusMessageActions actions, ProcessingResult result, MessageLineage lineage,
        MessageSignature? signature, SettlementDecision.ScheduleRetry retry, CancellationToken cancellationToken)
    {
        var scheduled = await ScheduleAsync(message, lineage, signature, retry, cancellationToken).ConfigureAwait(false);
        if (scheduled.SequenceNumber is not { } sequenceNumber)
        {
            var fallback = SettlementPolicy.WhenRetryCopyFails(result, retry, lineage.Attempt, message.DeliveryCount,
                deliveryOptions.Value.MaxDeliveryCount, scheduled.Failure!, timeProvider.GetUtcNow());
            if (fallback is SettlementDecision.DeadLetter deadLetter)
            {
                await DeadLetterAsync(message, actions, result, lineage, signature, deadLetter, cancellationToken).ConfigureAwait(false);
                return new SettlementResult(SettlementAction.DeadLettered, deadLetter);
            }
            return new SettlementResult(SettlementAction.Unsettled, fallback);
        }
        try
        {
            await actions.CompleteMessageAsync(message, cancellationToken).ConfigureAwait(false);
            return new SettlementResult(SettlementAction.RetryScheduled, retry);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            if (!await TryAsync(() => actions.AbandonMessageAsync(message, propertiesToModify: null, cancellationToken), cancellationToken).ConfigureAwait(false))
            {
                LogCompleteFailedCopyKept(logger, ex, message.MessageId, scheduled.CopyMessageId!);
                LogSettlementFailed(logger, ex, SettlementAction.RetryScheduled, message.MessageId, result.EventId);
                throw;
            }
            if (await TryAsync(() => sender.CancelScheduledMessageAsync(sequenceNumber, cancellationToken), cancellationToken).ConfigureAwait(false))
            {
                LogCopyCancelled(logger, ex, message.MessageId, scheduled.CopyMessageId!, sequenceNumber);
            }
            else
            {
                LogCopyNotCancelled(logger, ex, message.MessageId, scheduled.CopyMessageId!, sequenceNumber);
            }
            return new SettlementResult(SettlementAction.Abandoned, retry);
        }
    }

    private async Task<Scheduled> ScheduleAsync(
        ServiceBusReceivedMessage message, MessageLineage lineage, MessageSignature? signature, SettlementDecision.ScheduleRetry retry, CancellationToken cancellationToken)
    {
        if (signature is null)
        {
            // An unsigned copy would count as attempt 1 again and could retry for ever: send none.
            return new Scheduled(null, null, "there is no key to sign it (the Clerk secret key is unavailable)");
        }
        var copy = MessageCopies.RetryCopy(message, lineage, retry, signature);
        try
        {
            var sequenceNumber = await sender.ScheduleMessageAsync(copy, copy.ScheduledEnqueueTime, cancellationToken).ConfigureAwait(false);
            return new Scheduled(sequenceNumber, copy.MessageId, null);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            LogScheduleFailed(logger, ex, copy.MessageId, message.MessageId);
            return new Scheduled(null, copy.MessageId, $"{ex.GetType().Name}: {ex.Message}");
        }
    }

    private Task DeadLetterAsync(
        ServiceBusReceivedMessage message, ServiceBusMessageActions actions, ProcessingResult result, MessageLineage lineage,
        MessageSignature? signature, SettlementDecision.DeadLetter deadLetter, CancellationToken cancellationToken) =>
        LoggedAsync(SettlementAction.DeadLettered, message, result, () => actions.DeadLetterMessageAsync(
            message,
            propertiesToModify: MessageCopies.DeadLetterProperties(message, lineage, deadLetter, signature),
            deadLetterReason: deadLetter.Reason,
            deadLetterErrorDescription: deadLetter.Description,
            cancellationToken: cancellationToken));

    /// <summary>A settlement call; its failure is logged and rethrown.</summary>
    private async Task LoggedAsync(SettlementAction action, ServiceBusReceivedMessage message, ProcessingResult result, Func<Task> call)
    {
        try
        {
            await call().ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            LogSettlementFailed(logger, ex, action, message.MessageId, result.EventId);
            throw;
        }
    }

    /// <summary>A recovery call: whether it succeeded (cancellation of the invocation still ends it).</summary>
    private static async Task<bool> TryAsync(Func<Task> call, CancellationToken cancellationToken)
    {
        try
        {
            await call().ConfigureAwait(false);
            return true;
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }

    [LoggerMessage(1001, LogLevel.Warning,
        "Could not schedule retry copy {RetryMessageId} of message {MessageId}; leaving it unsettled so the broker redelivers it when its lock expires")]
    private static partial void LogScheduleFailed(ILogger logger, Exception exception, string retryMessageId, string messageId);

    [LoggerMessage(1002, LogLevel.Error,
        "Settling message {MessageId} (event {EventId}) as {Settlement} failed; it stays on the queue and is redelivered when its lock expires")]
    private static partial void LogSettlementFailed(ILogger logger, Exception exception, SettlementAction settlement, string messageId, string? eventId);

    [LoggerMessage(1003, LogLevel.Warning,
        "Completing message {MessageId} failed after its retry copy {RetryMessageId} (sequence number {SequenceNumber}) was scheduled; the message was abandoned and the copy cancelled, so the redelivered message is the only lineage")]
    private static partial void LogCopyCancelled(ILogger logger, Exception exception, string messageId, string retryMessageId, long sequenceNumber);

    [LoggerMessage(1004, LogLevel.Error,
        "Completing message {MessageId} failed after its retry copy {RetryMessageId} (sequence number {SequenceNumber}) was scheduled, and cancelling the copy failed too: the redelivered message and the copy both run; the ledger absorbs the second")]
    private static partial void LogCopyNotCancelled(ILogger logger, Exception exception, string messageId, string retryMessageId, long sequenceNumber);

    [LoggerMessage(1005, LogLevel.Error,
        "Completing message {MessageId} failed after its retry copy {RetryMessageId} was scheduled, and abandoning it failed too: the copy is kept (the complete may have happened); if the message comes back, it runs as a second lineage the ledger absorbs")]
    private static partial void LogCompleteFailedCopyKept(ILogger logger, Exception exception, string messageId, string retryMessageId);
}
