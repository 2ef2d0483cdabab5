using Azure.Messaging.ServiceBus;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Moq;
using RoleSync.Functions.Messaging;
using RoleSync.Messaging;
using RoleSync.Processing;

namespace RoleSync.Functions.Tests.Messaging;

/// <summary>The settler against mocked <see cref="ServiceBusMessageActions"/> and <see cref="ServiceBusSender"/>.</summary>
public sealed class MessageSettlerTests : IDisposable
{
    private static readonly DateTimeOffset Now = new(2026, 11, 28, 12, 0, 0, TimeSpan.Zero);

    private readonly Mock<ServiceBusMessageActions> _actions = new();
    private readonly Mock<ServiceBusSender> _sender = new();
    private readonly FakeLogger<MessageSettler> _logger = new();
    private readonly List<string> _calls = [];
    private readonly CancellationTokenSource _cts = new();
    private readonly CancellationToken _ct;

    public MessageSettlerTests()
    {
        _ct = _cts.Token; // a token of its own, to check that it is passed on
        _actions.Setup(a => a.CompleteMessageAsync(It.IsAny<ServiceBusReceivedMessage>(), It.IsAny<CancellationToken>()))
            .Callback(() => _calls.Add("complete")).Returns(Task.CompletedTask);
        _actions.Setup(a => a.AbandonMessageAsync(It.IsAny<ServiceBusReceivedMessage>(), It.IsAny<IDictionary<string, object>?>(), It.IsAny<CancellationToken>()))
            .Callback(() => _calls.Add("abandon")).Returns(Task.CompletedTask);
        _actions.Setup(a => a.DeadLetterMessageAsync(It.IsAny<ServiceBusReceivedMessage>(), It.IsAny<Dictionary<string, object>?>(),
                It.IsAny<string?>(), It.IsAny<string?>(), It.IsAny<CancellationToken>()))
            .Callback(() => _calls.Add("dead-letter")).Returns(Task.CompletedTask);
        _sender.Setup(s => s.ScheduleMessageAsync(It.IsAny<ServiceBusMessage>(), It.IsAny<DateTimeOffset>(), It.IsAny<CancellationToken>()))
            .Callback(() => _calls.Add("schedule")).ReturnsAsync(42L);
    }

    [Theory]
    [InlineData(Outcome.Applied)]
    [InlineData(Outcome.Stale)]
    [InlineData(Outcome.Duplicate)]
    public async Task Final_outcomes_complete_the_message_once_and_do_nothing_else(Outcome outcome)
    {
        var message = Message();

        var settled = await Settler().SettleAsync(message, _actions.Object, Result(outcome), _ct);

        Assert.Equal(SettlementAction.Completed, settled.Action);
        _actions.Verify(a => a.CompleteMessageAsync(message, _ct), Times.Once);
        Assert.Equal(["complete"], _calls);
        _actions.VerifyNoOtherCalls();
        _sender.VerifyNoOtherCalls();
    }

    [Theory]
    [InlineData(Reasons.InvalidMessage, "eventId: is required")]
    [InlineData(Reasons.RoleNotFound, "Role org:ghost does not exist")]
    [InlineData(Reasons.LastAdmin, "user_x is the last admin")]
    public async Task Rejections_dead_letter_the_message_once_with_reason_description_and_properties(string reason, string detail)
    {
        var message = Message(properties: new() { [MessageProperties.Attempt] = 2 });
        Dictionary<string, object>? properties = null;
        _actions.Setup(a => a.DeadLetterMessageAsync(message, It.IsAny<Dictionary<string, object>?>(), reason, detail, _ct))
            .Callback((ServiceBusReceivedMessage _, Dictionary<string, object>? p, string? _, string? _, CancellationToken _) => properties = p)
            .Returns(Task.CompletedTask);

        var settled = await Settler().SettleAsync(message, _actions.Object, Result(Outcome.Rejected, reason, detail), _ct);

        Assert.Equal(SettlementAction.DeadLettered, settled.Action);
        _actions.Verify(a => a.DeadLetterMessageAsync(message, It.IsAny<Dictionary<string, object>?>(), reason, detail, _ct), Times.Once);
        _actions.VerifyNoOtherCalls();
        _sender.VerifyNoOtherCalls();
        Assert.NotNull(properties);
        Assert.Equal("2026-11-28T12:00:00.0000000Z", properties[MessageProperties.FailedAt]);
        Assert.Equal(2, properties[MessageProperties.Attempt]);
        Assert.Equal(RoleSyncInfo.Version, properties[MessageProperties.Version]);
    }

    [Fact]
    public async Task A_transient_failure_schedules_a_copy_and_only_then_completes_the_original()
    {
        var message = Message(properties: new() { ["source-system"] = "workday", ["Diagnostic-Id"] = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01" });
        ServiceBusMessage? copy = null;
        DateTimeOffset enqueueAt = default;
        _sender.Setup(s => s.ScheduleMessageAsync(It.IsAny<ServiceBusMessage>(), It.IsAny<DateTimeOffset>(), _ct))
            .Callback((ServiceBusMessage m, DateTimeOffset at, CancellationToken _) => { copy = m; enqueueAt = at; _calls.Add("schedule"); })
            .ReturnsAsync(42L);

        var settled = await Settler().SettleAsync(message, _actions.Object, Result(Outcome.Transient, Reasons.ClerkUnavailable, "Clerk answered 503"), _ct);

        Assert.Equal(SettlementAction.RetryScheduled, settled.Action);
        Assert.Equal(["schedule", "complete"], _calls);
        Assert.Equal(Now.AddSeconds(30), enqueueAt);
        Assert.NotNull(copy);
        Assert.Equal("msg-1~r2", copy.MessageId);
        Assert.Equal(message.Body.ToString(), copy.Body.ToString());
        Assert.Equal("application/json", copy.ContentType);
        Assert.Equal("corr-1", copy.CorrelationId);
        Assert.Equal("workday", copy.ApplicationProperties["source-system"]);
        Assert.Equal("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01", copy.ApplicationProperties["Diagnostic-Id"]);
        Assert.Equal(2, copy.ApplicationProperties[MessageProperties.Attempt]);
        Assert.Equal("msg-1", copy.ApplicationProperties[MessageProperties.RetryOf]);
        Assert.Equal(Reasons.ClerkUnavailable, copy.ApplicationProperties[MessageProperties.LastReason]);
        _actions.Verify(a => a.CompleteMessageAsync(message, _ct), Times.Once);
        _actions.VerifyNoOtherCalls();
    }

    [Fact]
    public async Task A_retry_copy_that_fails_again_schedules_the_next_attempt_under_the_original_message_id()
    {
        var message = Message(messageId: "msg-1~r3", properties: new() { [MessageProperties.Attempt] = 3, [MessageProperties.RetryOf] = "msg-1" });
        ServiceBusMessage? copy = null;
        DateTimeOffset enqueueAt = default;
        _sender.Setup(s => s.ScheduleMessageAsync(It.IsAny<ServiceBusMessage>(), It.IsAny<DateTimeOffset>(), _ct))
            .Callback((ServiceBusMessage m, DateTimeOffset at, CancellationToken _) => { copy = m; enqueueAt = at; })
            .ReturnsAsync(43L);

        await Settler().SettleAsync(message, _actions.Object, Result(Outcome.Transient, Reasons.SecretUnavailable, "Key Vault answered 503"), _ct);

        Assert.NotNull(copy);
        Assert.Equal("msg-1~r4", copy.MessageId);
        Assert.Equal(4, copy.ApplicationProperties[MessageProperties.Attempt]);
        Assert.Equal("msg-1", copy.ApplicationProperties[MessageProperties.RetryOf]);
        Assert.Equal(Now.AddMinutes(10), enqueueAt);
        _actions.Verify(a => a.CompleteMessageAsync(message, _ct), Times.Once);
    }

    [Fact]
    public async Task A_long_Retry_After_from_Clerk_sets_the_scheduled_time()
    {
        var message = Message();
        var result = Result(Outcome.Transient, Reasons.ClerkRateLimited, "Clerk answered 429", TimeSpan.FromMinutes(5));

        await Settler().SettleAsync(message, _actions.Object, result, _ct);

        _sender.Verify(s => s.ScheduleMessageAsync(It.IsAny<ServiceBusMessage>(), Now.AddMinutes(5), _ct), Times.Once);
    }

    [Fact]
    public async Task When_the_budget_is_spent_the_message_is_dead_lettered_as_RetriesExhausted_and_nothing_is_scheduled()
    {
        var message = Message(messageId: "msg-1~r8", properties: new() { [MessageProperties.Attempt] = 8, [MessageProperties.RetryOf] = "msg-1" });

        var settled = await Settler().SettleAsync(message, _actions.Object, Result(Outcome.Transient, Reasons.ClerkUnavailable, "Clerk answered 503"), _ct);

        Assert.Equal(SettlementAction.DeadLettered, settled.Action);
        _actions.Verify(a => a.DeadLetterMessageAsync(
            message,
            It.Is<Dictionary<string, object>?>(p => p != null && (int)p[MessageProperties.Attempt] == 8 && (string)p[MessageProperties.LastReason] == Reasons.ClerkUnavailable),
            Reasons.RetriesExhausted,
            It.Is<string?>(d => d != null && d.Contains("ClerkUnavailable: Clerk answered 503")),
            _ct), Times.Once);
        _actions.VerifyNoOtherCalls();
        _sender.VerifyNoOtherCalls();
    }

    [Fact]
    public async Task If_scheduling_fails_the_message_is_abandoned_not_completed()
    {
        var message = Message();
        _sender.Setup(s => s.ScheduleMessageAsync(It.IsAny<ServiceBusMessage>(), It.IsAny<DateTimeOffset>(), It.IsAny<CancellationToken>()))
            .ThrowsAsync(new ServiceBusException("namespace unreachable", ServiceBusFailureReason.ServiceCommunicationProblem));

        var settled = await Settler().SettleAsync(message, _actions.Object, Result(Outcome.Transient, Reasons.ClerkUnavailable, "Clerk answered 503"), _ct);

        Assert.Equal(SettlementAction.Abandoned, settled.Action);
        _actions.Verify(a => a.AbandonMessageAsync(message, null, _ct), Times.Once);
        _actions.VerifyNoOtherCalls();
        var warning = Assert.Single(_logger.Collector.GetSnapshot(), r => r.Level == LogLevel.Warning);
        Assert.Contains("msg-1~r2", warning.Message);
        Assert.IsType<ServiceBusException>(warning.Exception);
    }

    [Fact]
    public async Task A_failing_settlement_call_is_logged_and_surfaced()
    {
        var message = Message();
        var failure = new InvalidOperationException("The message lock was lost.");
        _actions.Setup(a => a.CompleteMessageAsync(message, It.IsAny<CancellationToken>())).ThrowsAsync(failure);

        var thrown = await Assert.ThrowsAsync<InvalidOperationException>(
            () => Settler().SettleAsync(message, _actions.Object, Result(Outcome.Applied), _ct));

        Assert.Same(failure, thrown);
        var error = Assert.Single(_logger.Collector.GetSnapshot(), r => r.Level == LogLevel.Error);
        Assert.Same(failure, error.Exception);
        Assert.Contains("msg-1", error.Message);
        Assert.Contains("Completed", error.Message);
    }

    [Fact]
    public async Task A_failing_abandon_after_a_failed_schedule_is_logged_and_surfaced()
    {
        var message = Message();
        _sender.Setup(s => s.ScheduleMessageAsync(It.IsAny<ServiceBusMessage>(), It.IsAny<DateTimeOffset>(), It.IsAny<CancellationToken>()))
            .ThrowsAsync(new ServiceBusException("throttled", ServiceBusFailureReason.ServiceBusy));
        _actions.Setup(a => a.AbandonMessageAsync(message, It.IsAny<IDictionary<string, object>?>(), It.IsAny<CancellationToken>()))
            .ThrowsAsync(new InvalidOperationException("The message lock was lost."));

        await Assert.ThrowsAsync<InvalidOperationException>(
            () => Settler().SettleAsync(message, _actions.Object, Result(Outcome.Transient, Reasons.ClerkUnavailable, "Clerk answered 503"), _ct));

        _actions.Verify(a => a.CompleteMessageAsync(It.IsAny<ServiceBusReceivedMessage>(), It.IsAny<CancellationToken>()), Times.Never);
        Assert.Contains(_logger.Collector.GetSnapshot(), r => r.Level == LogLevel.Error && r.Message.Contains("Abandoned"));
    }

    public void Dispose() => _cts.Dispose();

    private MessageSettler Settler() =>
        new(_sender.Object, Options.Create(new RetryOptions()), new FakeTimeProvider(Now), _logger);

    internal static ServiceBusReceivedMessage Message(string messageId = "msg-1", Dictionary<string, object>? properties = null) =>
        ServiceBusModelFactory.ServiceBusReceivedMessage(
            body: BinaryData.FromString("""{"eventId":"evt-1"}"""),
            messageId: messageId,
            correlationId: "corr-1",
            contentType: "application/json",
            properties: properties ?? new Dictionary<string, object>(),
            deliveryCount: 1,
            lockTokenGuid: Guid.NewGuid());

    private static ProcessingResult Result(Outcome outcome, string? reason = null, string? detail = null, TimeSpan? retryAfter = null) =>
        new(outcome, null, "evt-1", reason, detail, retryAfter);
}
