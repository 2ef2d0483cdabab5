using System.Transactions;
using Azure.Messaging.ServiceBus;
using RoleSync.Replay;

namespace RoleSync.AzureAdapters;

/// <summary>
/// <see cref="IDeadLetterQueue"/> over Azure.Messaging.ServiceBus: a peek-lock receiver on the queue's dead-letter
/// sub-queue and a sender to the queue. With <paramref name="useTransactions"/> (the client must have cross-entity
/// transactions enabled; not on the Basic tier) send and complete commit together; if the namespace refuses the
/// transaction, this instance falls back to send-then-complete and reports it.
/// </summary>
public sealed class ServiceBusDeadLetterQueue(ServiceBusReceiver deadLetterReceiver, ServiceBusSender sender, bool useTransactions) : IDeadLetterQueue
{
    private static readonly TimeSpan ReceiveWait = TimeSpan.FromSeconds(2);
    private volatile bool _transactionsRefused;

    /// <summary>Receiver and sender for <paramref name="queueName"/> from one client.</summary>
    public static ServiceBusDeadLetterQueue Create(ServiceBusClient client, string queueName, bool useTransactions) =>
        new(client.CreateReceiver(queueName, new ServiceBusReceiverOptions { SubQueue = SubQueue.DeadLetter, ReceiveMode = ServiceBusReceiveMode.PeekLock }),
            client.CreateSender(queueName),
            useTransactions);

    public Task<IReadOnlyList<ServiceBusReceivedMessage>> PeekAsync(long fromSequenceNumber, int maxMessages, CancellationToken cancellationToken) =>
        deadLetterReceiver.PeekMessagesAsync(maxMessages, fromSequenceNumber, cancellationToken);

    public Task<IReadOnlyList<ServiceBusReceivedMessage>> ReceiveAsync(int maxMessages, CancellationToken cancellationToken) =>
        deadLetterReceiver.ReceiveMessagesAsync(maxMessages, ReceiveWait, cancellationToken);

    public async Task<ReplayMode> ResendAsync(ServiceBusReceivedMessage deadLetter, ServiceBusMessage copy, CancellationToken cancellationToken)
    {
        if (useTransactions && !_transactionsRefused)
        {
            try
            {
                using var scope = new TransactionScope(TransactionScopeAsyncFlowOption.Enabled);
                await sender.SendMessageAsync(copy, cancellationToken).ConfigureAwait(false);
                await deadLetterReceiver.CompleteMessageAsync(deadLetter, cancellationToken).ConfigureAwait(false);
                scope.Complete();
                return ReplayMode.Transaction;
            }
            catch (Exception ex) when (IsTransactionRefusal(ex))
            {
                _transactionsRefused = true; // e.g. Basic tier, or cross-entity transactions not enabled
            }
        }
        await sender.SendMessageAsync(copy, cancellationToken).ConfigureAwait(false);
        await deadLetterReceiver.CompleteMessageAsync(deadLetter, cancellationToken).ConfigureAwait(false);
        return ReplayMode.SendThenComplete;
    }

    public Task ReleaseAsync(ServiceBusReceivedMessage deadLetter, CancellationToken cancellationToken) =>
        deadLetterReceiver.AbandonMessageAsync(deadLetter, cancellationToken: cancellationToken);

    private static bool IsTransactionRefusal(Exception ex) =>
        ex is NotSupportedException or TransactionException
        || (ex is InvalidOperationException ioe && ioe.Message.Contains("transaction", StringComparison.OrdinalIgnoreCase))
        || (ex is ServiceBusException { Reason: not ServiceBusFailureReason.MessageLockLost } sbe
            && sbe.Message.Contains("transaction", StringComparison.OrdinalIgnoreCase)); // a lost lock is the caller's retry-later, not a refusal
}
