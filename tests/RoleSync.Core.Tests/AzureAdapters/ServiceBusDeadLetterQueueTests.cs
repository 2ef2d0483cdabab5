using System.Transactions;
using Moq;

namespace RoleSync.Core.Tests.AzureAdapters;

/// <summary>The real adapter over mocked Azure SDK clients (the SDK's own mocking model): calls, order, transactions.</summary>
public sealed class ServiceBusDeadLetterQueueTests
{
    private readonly Mock<ServiceBusReceiver> _receiver = new(MockBehavior.Strict);
    private readonly Mock<ServiceBusSender> _sender = new(MockBehavior.Strict);
    private readonly List<string> _calls = [];
    private static readonly ServiceBusReceivedMessage Dead = ServiceBusModelFactory.ServiceBusReceivedMessage(messageId: "m1", sequenceNumber: 7);
    private static readonly ServiceBusMessage Copy = new("{}") { MessageId = "m1~replay1" };

    [Fact]
    public async Task Peeks_from_the_given_sequence_number_without_locks()
    {
        _receiver.Setup(r => r.PeekMessagesAsync(100, 42L, It.IsAny<CancellationToken>())).ReturnsAsync([Dead]);
        var queue = new ServiceBusDeadLetterQueue(_receiver.Object, _sender.Object, useTransactions: false);

        var peeked = await queue.PeekAsync(42, 100, CancellationToken.None);

        Assert.Same(Dead, Assert.Single(peeked));
        _receiver.Verify(r => r.PeekMessagesAsync(100, 42L, It.IsAny<CancellationToken>()), Times.Once);
    }

    [Fact]
    public async Task Without_transactions_sends_before_completing()
    {
        SetupSettlement(expectTransaction: false);
        var queue = new ServiceBusDeadLetterQueue(_receiver.Object, _sender.Object, useTransactions: false);

        var mode = await queue.ResendAsync(Dead, Copy, CancellationToken.None);

        Assert.Equal(ReplayMode.SendThenComplete, mode);
        Assert.Equal(["send", "complete"], _calls);
    }

    [Fact]
    public async Task With_transactions_send_and_complete_share_one_ambient_transaction()
    {
        SetupSettlement(expectTransaction: true);
        var queue = new ServiceBusDeadLetterQueue(_receiver.Object, _sender.Object, useTransactions: true);

        var mode = await queue.ResendAsync(Dead, Copy, CancellationToken.None);

        Assert.Equal(ReplayMode.Transaction, mode);
        Assert.Equal(["send", "complete"], _calls);
    }

    [Fact]
    public async Task A_refused_transaction_falls_back_to_send_then_complete_and_remembers()
    {
        int sends = 0;
        _sender.Setup(s => s.SendMessageAsync(Copy, It.IsAny<CancellationToken>()))
            .Returns(() => ++sends == 1 ? throw new NotSupportedException("Transactions are not supported on the Basic tier.") : Task.CompletedTask);
        _receiver.Setup(r => r.CompleteMessageAsync(Dead, It.IsAny<CancellationToken>())).Returns(Task.CompletedTask);
        var queue = new ServiceBusDeadLetterQueue(_receiver.Object, _sender.Object, useTransactions: true);

        var first = await queue.ResendAsync(Dead, Copy, CancellationToken.None);
        var second = await queue.ResendAsync(Dead, Copy, CancellationToken.None);

        Assert.Equal((ReplayMode.SendThenComplete, ReplayMode.SendThenComplete), (first, second));
        Assert.Equal(3, sends); // refused once, then plain sends only
    }

    [Fact]
    public async Task A_failed_send_never_completes_the_dead_letter()
    {
        _sender.Setup(s => s.SendMessageAsync(Copy, It.IsAny<CancellationToken>()))
            .ThrowsAsync(new ServiceBusException("boom", ServiceBusFailureReason.ServiceBusy));
        var queue = new ServiceBusDeadLetterQueue(_receiver.Object, _sender.Object, useTransactions: false);

        await Assert.ThrowsAsync<ServiceBusException>(() => queue.ResendAsync(Dead, Copy, CancellationToken.None));

        _receiver.Verify(r => r.CompleteMessageAsync(It.IsAny<ServiceBusReceivedMessage>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task A_lock_lost_inside_the_transaction_is_not_taken_for_a_refused_transaction()
    {
        int sends = 0;
        _sender.Setup(s => s.SendMessageAsync(Copy, It.IsAny<CancellationToken>())).Returns(() => { sends++; return Task.CompletedTask; });
        _receiver.Setup(r => r.CompleteMessageAsync(Dead, It.IsAny<CancellationToken>()))
            .ThrowsAsync(new ServiceBusException("The lock supplied is invalid (transaction rolled back).", ServiceBusFailureReason.MessageLockLost));
        var queue = new ServiceBusDeadLetterQueue(_receiver.Object, _sender.Object, useTransactions: true);

        var error = await Assert.ThrowsAsync<ServiceBusException>(() => queue.ResendAsync(Dead, Copy, CancellationToken.None));

        Assert.Equal(ServiceBusFailureReason.MessageLockLost, error.Reason);
        Assert.Equal(1, sends); // no second, untransacted send
    }

    [Fact]
    public async Task Release_abandons_the_lock()
    {
        _receiver.Setup(r => r.AbandonMessageAsync(Dead, null, It.IsAny<CancellationToken>())).Returns(Task.CompletedTask);
        var queue = new ServiceBusDeadLetterQueue(_receiver.Object, _sender.Object, useTransactions: false);

        await queue.ReleaseAsync(Dead, CancellationToken.None);

        _receiver.Verify(r => r.AbandonMessageAsync(Dead, null, It.IsAny<CancellationToken>()), Times.Once);
    }

    private void SetupSettlement(bool expectTransaction)
    {
        _sender.Setup(s => s.SendMessageAsync(Copy, It.IsAny<CancellationToken>())).Returns(() =>
        {
            Assert.Equal(expectTransaction, Transaction.Current is not null);
            _calls.Add("send");
            return Task.CompletedTask;
        });
        _receiver.Setup(r => r.CompleteMessageAsync(Dead, It.IsAny<CancellationToken>())).Returns(() =>
        {
            Assert.Equal(expectTransaction, Transaction.Current is not null);
            _calls.Add("complete");
            return Task.CompletedTask;
        });
    }
}
