using System.Runtime.CompilerServices;
using Azure.Messaging.ServiceBus;

namespace RoleSync.Replay;

/// <summary>
/// Walking the dead-letter queue, at most <see cref="DeadLetterReplayer.MaxScanned"/> messages per call: peeking (no
/// locks) from a sequence number on, or receiving (peek-lock) one page at a time. <see cref="Complete"/> says whether
/// the walk reached the end of the queue (or of what the caller asked for) rather than stopping at the bound.
/// </summary>
internal sealed class DeadLetterScan(IDeadLetterQueue queue)
{
    /// <summary>Messages per peek or receive: one page is settled well inside the queue's lock (1 minute in the Bicep).</summary>
    public const int Page = 100;

    /// <summary>True once a walk ended because nothing more was there (or the caller's <c>stopAfter</c> was passed).</summary>
    public bool Complete { get; private set; }

    /// <summary>How many messages the last walk looked at.</summary>
    public int Scanned { get; private set; }

    /// <summary>Peeks from <paramref name="fromSequenceNumber"/> on, in sequence order, up to <paramref name="stopAfter"/> (then complete).</summary>
    public async IAsyncEnumerable<ServiceBusReceivedMessage> PeekAsync(long fromSequenceNumber, long stopAfter, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        (Complete, Scanned) = (false, 0);
        long next = fromSequenceNumber;
        while (Scanned < DeadLetterReplayer.MaxScanned)
        {
            var batch = await queue.PeekAsync(next, Page, cancellationToken).ConfigureAwait(false);
            if (batch.Count == 0)
            {
                Complete = true;
                yield break;
            }
            foreach (var message in batch)
            {
                if (message.SequenceNumber > stopAfter)
                {
                    Complete = true;
                    yield break;
                }
                Scanned++;
                next = message.SequenceNumber + 1;
                yield return message;
            }
        }
    }

    /// <summary>
    /// Receives (locked) one page at a time; every received message is in <paramref name="held"/> until the caller
    /// settles or releases it, even if the caller stops early. A page whose every message has a sequence number above
    /// <paramref name="stopAfter"/> ends the walk (complete): later arrivals are not looked at. A message received a
    /// second time means its first lock expired (nothing is released during a walk): the walk took too long and stops
    /// (not complete), so the caller says "call again" instead of "not found".
    /// </summary>
    public async IAsyncEnumerable<ServiceBusReceivedMessage> ReceiveAsync(
        List<ServiceBusReceivedMessage> held, long stopAfter, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        (Complete, Scanned) = (false, 0);
        var seen = new HashSet<long>();
        while (Scanned < DeadLetterReplayer.MaxScanned)
        {
            var batch = await queue.ReceiveAsync(Page, cancellationToken).ConfigureAwait(false);
            held.AddRange(batch); // locked until settled or released
            if (batch.Count == 0 || batch.All(m => m.SequenceNumber > stopAfter))
            {
                Complete = true;
                yield break;
            }
            foreach (var message in batch)
            {
                if (!seen.Add(message.SequenceNumber))
                {
                    yield break; // its lock expired while we walked on
                }
                Scanned++;
                yield return message;
            }
        }
    }

    /// <summary>Releases every message in <paramref name="held"/>; one whose lock was lost already is back in the dead-letter queue anyway.</summary>
    public async Task ReleaseAsync(IEnumerable<ServiceBusReceivedMessage> held)
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
}
