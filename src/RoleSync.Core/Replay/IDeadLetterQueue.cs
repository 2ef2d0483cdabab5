using Azure.Messaging.ServiceBus;
using RoleSync.AzureAdapters;

namespace RoleSync.Replay;

/// <summary>
/// The Service Bus side of replay, kept small so the replay logic can be tested with a fake. The real one is
/// <see cref="ServiceBusDeadLetterQueue"/>.
/// </summary>
public interface IDeadLetterQueue
{
    /// <summary>Peeks (no lock, nothing removed) up to <paramref name="maxMessages"/> dead letters from a sequence number on.</summary>
    Task<IReadOnlyList<ServiceBusReceivedMessage>> PeekAsync(long fromSequenceNumber, int maxMessages, CancellationToken cancellationToken);

    /// <summary>Receives (peek-lock) the next unlocked dead letters; empty when none are left.</summary>
    Task<IReadOnlyList<ServiceBusReceivedMessage>> ReceiveAsync(int maxMessages, CancellationToken cancellationToken);

    /// <summary>Sends <paramref name="copy"/> to the main queue, then completes <paramref name="deadLetter"/>.</summary>
    Task<ReplayMode> ResendAsync(ServiceBusReceivedMessage deadLetter, ServiceBusMessage copy, CancellationToken cancellationToken);

    /// <summary>Releases the lock on a received dead letter that was not selected (it stays in the dead-letter queue).</summary>
    Task ReleaseAsync(ServiceBusReceivedMessage deadLetter, CancellationToken cancellationToken);
}
