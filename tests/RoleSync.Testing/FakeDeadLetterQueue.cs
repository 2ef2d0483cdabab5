using Azure.Messaging.ServiceBus;
using RoleSync.Replay;
using Xunit;

namespace RoleSync.Testing;

/// <summary>An in-memory dead-letter queue with Service Bus semantics that matter to replay: peek, locks, settle.</summary>
public sealed class FakeDeadLetterQueue : IDeadLetterQueue
{
    private readonly SortedDictionary<long, ServiceBusReceivedMessage> _dead = [];
    private readonly HashSet<long> _locked = [];
    private long _next = 1;

    public List<ServiceBusMessage> Sent { get; } = [];

    public List<long> Released { get; } = [];

    public Func<ServiceBusReceivedMessage, Exception?> FailResend { get; set; } = _ => null;

    /// <summary>
    /// When the dead letters were first enqueued: after the changes they carry occurred (the producer's clock is right),
    /// so their effective time is their occurredAt.
    /// </summary>
    public static readonly DateTimeOffset EnqueuedAt = new(2030, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public long Add(string body, string reason, string? description = null, string messageId = "msg-1", IDictionary<string, object>? properties = null, string? correlationId = null)
    {
        var sequence = _next++;
        var props = new Dictionary<string, object>(properties ?? new Dictionary<string, object>())
        {
            ["DeadLetterReason"] = reason,
            ["DeadLetterErrorDescription"] = description ?? $"{reason} detail",
        };
        _dead[sequence] = ServiceBusModelFactory.ServiceBusReceivedMessage(
            body: BinaryData.FromString(body), messageId: messageId, correlationId: correlationId, contentType: "application/json",
            properties: props, sequenceNumber: sequence, enqueuedTime: EnqueuedAt.AddSeconds(sequence), deliveryCount: 3);
        return sequence;
    }

    public IReadOnlyCollection<long> Remaining => _dead.Keys;

    public IReadOnlyCollection<long> Locked => _locked;

    public Task<IReadOnlyList<ServiceBusReceivedMessage>> PeekAsync(long fromSequenceNumber, int maxMessages, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<ServiceBusReceivedMessage>>(_dead.Where(kv => kv.Key >= fromSequenceNumber).Take(maxMessages).Select(kv => kv.Value).ToList());

    public Task<IReadOnlyList<ServiceBusReceivedMessage>> ReceiveAsync(int maxMessages, CancellationToken cancellationToken)
    {
        var batch = _dead.Where(kv => !_locked.Contains(kv.Key)).Take(maxMessages).Select(kv => kv.Value).ToList();
        _locked.UnionWith(batch.Select(m => m.SequenceNumber));
        return Task.FromResult<IReadOnlyList<ServiceBusReceivedMessage>>(batch);
    }

    public Task<ReplayMode> ResendAsync(ServiceBusReceivedMessage deadLetter, ServiceBusMessage copy, CancellationToken cancellationToken)
    {
        Assert.Contains(deadLetter.SequenceNumber, _locked); // only a locked (received) message can be completed
        if (FailResend(deadLetter) is { } failure)
        {
            throw failure;
        }
        Sent.Add(copy);
        _dead.Remove(deadLetter.SequenceNumber);
        _locked.Remove(deadLetter.SequenceNumber);
        return Task.FromResult(ReplayMode.SendThenComplete);
    }

    public Task ReleaseAsync(ServiceBusReceivedMessage deadLetter, CancellationToken cancellationToken)
    {
        Assert.True(_locked.Remove(deadLetter.SequenceNumber), "released a message that was not locked");
        Released.Add(deadLetter.SequenceNumber);
        return Task.CompletedTask;
    }
}
