using Azure.Messaging.ServiceBus;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RoleSync.Messaging;
using RoleSync.Processing;

namespace RoleSync.Functions.Messaging;

/// <summary>
/// Carries out <see cref="SettlementPolicy"/>'s decision with the trigger's <see cref="ServiceBusMessageActions"/> and,
/// for retries, a <see cref="ServiceBusSender"/> on the same queue. A message is completed only when its outcome is
/// final or its retry copy is enqueued; if scheduling fails the message is abandoned. A failing settlement call is
/// logged and rethrown (the lock then expires and the broker redelivers).
/// </summary>
public sealed partial class MessageSettler(
    ServiceBusSender sender,
    IOptions<RetryOptions> retryOptions,
    TimeProvider timeProvider,
    ILogger<MessageSettler> logger)
{
    public async Task<SettlementResult> SettleAsync(
        ServiceBusReceivedMessage message,
        ServiceBusMessageActions actions,
        ProcessingResult result,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(actions);
        var attempt = MessageProperties.ReadAttempt(message.ApplicationProperties);
        var decision = SettlementPolicy.Decide(result, attempt, retryOptions.Value, timeProvider.GetUtcNow());
        var action = SettlementAction.Completed;
        try
        {
            switch (decision)
            {
                case SettlementDecision.Complete:
                    await actions.CompleteMessageAsync(message, cancellationToken).ConfigureAwait(false);
                    break;

                case SettlementDecision.DeadLetter deadLetter:
                    action = SettlementAction.DeadLettered;
                    await actions.DeadLetterMessageAsync(
                        message,
                        propertiesToModify: new Dictionary<string, object>(deadLetter.Properties),
                        deadLetterReason: deadLetter.Reason,
                        deadLetterErrorDescription: deadLetter.Description,
                        cancellationToken: cancellationToken).ConfigureAwait(false);
                    break;

                case SettlementDecision.ScheduleRetry retry:
                    action = SettlementAction.RetryScheduled;
                    if (!await TryScheduleAsync(message, retry, cancellationToken).ConfigureAwait(false))
                    {
                        action = SettlementAction.Abandoned;
                        await actions.AbandonMessageAsync(message, propertiesToModify: null, cancellationToken).ConfigureAwait(false);
                        break;
                    }
                    await actions.CompleteMessageAsync(message, cancellationToken).ConfigureAwait(false);
                    break;
            }
        }
        catch (Exception ex)
        {
            LogSettlementFailed(logger, ex, action, message.MessageId, result.EventId);
            throw;
        }
        return new SettlementResult(action, decision);
    }

    private async Task<bool> TryScheduleAsync(ServiceBusReceivedMessage message, SettlementDecision.ScheduleRetry retry, CancellationToken cancellationToken)
    {
        var copy = MessageCopies.RetryCopy(message, retry);
        try
        {
            await sender.ScheduleMessageAsync(copy, retry.EnqueueAt, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            LogScheduleFailed(logger, ex, copy.MessageId, message.MessageId);
            return false;
        }
    }

    [LoggerMessage(1001, LogLevel.Warning,
        "Could not schedule retry copy {RetryMessageId} of message {MessageId}; abandoning it so the broker redelivers it")]
    private static partial void LogScheduleFailed(ILogger logger, Exception exception, string retryMessageId, string messageId);

    [LoggerMessage(1002, LogLevel.Error,
        "Settling message {MessageId} (event {EventId}) as {Settlement} failed; it stays on the queue and is redelivered when its lock expires")]
    private static partial void LogSettlementFailed(ILogger logger, Exception exception, SettlementAction settlement, string messageId, string? eventId);
}
