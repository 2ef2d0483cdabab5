using Azure.Messaging.ServiceBus;
using RoleSync.Replay;
using Xunit;

namespace RoleSync.Testing;

/// <summary>
/// An in-memory dead-letter queue with Service Bus semantics that matter to replay: peek, locks, settle. With a
/// <see cref="Clock"/>, locks last <see cref="LockDuration"/> (received messages carry their LockedUntil): an expired
/// lock makes the message receivable again, and settling or releasing it fails with MessageLockLost.
/// </summary>
public sealed class FakeDeadLetterQueue : IDeadLetterQueue
{
    private readonly SortedDictionary<long, ServiceBusReceivedMessage> _dead = [];
    private readonly Dictionary<long, DateTimeOffset> _locked = [];
    private long _next = 1;

    public List<ServiceBusMessage> Sent { get; } = [];

    public List<long> Released { get; } = [];

    public Func<ServiceBusReceivedMessage, Exception?> FailResend { get; set; } = _ => null;

    /// <summary>Called after each receive with the batch (e.g. to lock some messages by "another receiver").</summary>
    public Action<IReadOnlyList<ServiceBusReceivedMessage>> AfterReceive { get; set; } = _ => { };

    /// <summary>The clock locks expire by; null: locks never expire (and received messages carry no LockedUntil).</summary>
    public TimeProvider? Clock { get; init; }

    public TimeSpan LockDuration { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// When the dead letters were first enqueued: after the changes they carry occurred (the producer's clock is right),
    /// so their effective time is their occurredAt.
    /// </summary>
    public static readonly DateTimeOffset EnqueuedAt = new(2030, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>A dead letter of <paramref name="body"/>; a null <paramref name="reason"/> leaves the DeadLetterReason property out, as a dead-lettering without a reason does.</summary>
    public long Add(string body, string? reason, string? description = null, string messageId = "msg-1", IDictionary<string, object>? properties = null, string? correlationId = null)
    {
        var sequence = _next++;
        var props = new Dictionary<string, object>(properties ?? new Dictionary<string, object>())
        {
            ["DeadLetterErrorDescription"] = description ?? $"{reason} detail",
        };
        if (reason is not null)
        {
            props["DeadLetterReason"] = reason;
        }
        _dead[sequence] = ServiceBusModelFactory.ServiceBusReceivedMessage(
            body: BinaryData.FromString(body), messageId: messageId, correlationId: correlationId, contentType: "application/json",
            properties: props, sequenceNumber: sequence, enqueuedTime: EnqueuedAt.AddSeconds(sequence), deliveryCount: 3);
        return sequence;
    }

    public IReadOnlyCollection<long> Remaining => _dead.Keys;

    public IReadOnlyCollection<long> Locked => [.. _locked.Keys.Where(IsLocked)];

    /// <summary>Locks <paramref name="sequenceNumber"/> as another receiver would (this queue's receives skip it).</summary>
    public void LockElsewhere(long sequenceNumber) => _locked[sequenceNumber] = DateTimeOffset.MaxValue;

    public Task<IReadOnlyList<ServiceBusReceivedMessage>> PeekAsync(long fromSequenceNumber, int maxMessages, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<ServiceBusReceivedMessage>>(_dead.Where(kv => kv.Key >= fromSequenceNumber).Take(maxMessages).Select(kv => kv.Value).ToList());

    public Task<IReadOnlyList<ServiceBusReceivedMessage>> ReceiveAsync(int maxMessages, CancellationToken cancellationToken)
    {
        var batch = _dead.Where(kv => !IsLocked(kv.Key)).Take(maxMessages).Select(kv => kv.Value).ToList();
        if (Clock is not null)
        {
            var until = Clock.GetUtcNow() + LockDuration;
            batch = [.. batch.Select(m => WithLock(m, until))];
        }
        foreach (var message in batch)
        {
            _locked[message.SequenceNumber] = Clock is null ? DateTimeOffset.MaxValue : message.LockedUntil;
        }
        AfterReceive(batch);
        return Task.FromResult<IReadOnlyList<ServiceBusReceivedMessage>>(batch);
    }

    public Task<ReplayMode> ResendAsync(ServiceBusReceivedMessage deadLetter, ServiceBusMessage copy, CancellationToken cancellationToken)
    {
        Assert.Contains(deadLetter.SequenceNumber, _locked.Keys); // only a received message can be completed
        if (FailResend(deadLetter) is { } failure)
        {
            throw failure;
        }
        ThrowIfLockLost(deadLetter);
        Sent.Add(copy);
        _dead.Remove(deadLetter.SequenceNumber);
        _locked.Remove(deadLetter.SequenceNumber);
        return Task.FromResult(ReplayMode.SendThenComplete);
    }

    public Task ReleaseAsync(ServiceBusReceivedMessage deadLetter, CancellationToken cancellationToken)
    {
        ThrowIfLockLost(deadLetter);
        Assert.True(_locked.Remove(deadLetter.SequenceNumber), "released a message that was not locked");
        Released.Add(deadLetter.SequenceNumber);
        return Task.CompletedTask;
    }

    private bool IsLocked(long sequenceNumber) =>
        _locked.TryGetValue(sequenceNumber, out var until) && (Clock is null || until > Clock.GetUtcNow());

    private void ThrowIfLockLost(ServiceBusReceivedMessage message)
    {
        if (Clock is not null && message.LockedUntil <= Clock.GetUtcNow())
        {
            _locked.Remove(message.SequenceNumber);
            throw new ServiceBusException("The lock supplied is invalid: it expired.", ServiceBusFailureReason.MessageLockLost);
        }
    }

    private static ServiceBusReceivedMessage WithLock(ServiceBusReceivedMessage m, DateTimeOffset lockedUntil) =>
        ServiceBusModelFactory.ServiceBusReceivedMessage(
            body: m.Body, messageId: m.MessageId, correlationId: m.CorrelationId, contentType: m.ContentType,
            properties: new Dictionary<string, object>(m.ApplicationProperties), sequenceNumber: m.SequenceNumber, enqueuedTime: m.EnqueuedTime,
            deliveryCount: m.DeliveryCount, lockedUntil: lockedUntil, lockTokenGuid: Guid.NewGuid());
}
