using static RoleSync.Testing.TestSigning;

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
    private int _maxDeliveryCount = 10;

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
        _sender.Setup(s => s.CancelScheduledMessageAsync(It.IsAny<long>(), It.IsAny<CancellationToken>()))
            .Callback(() => _calls.Add("cancel")).Returns(Task.CompletedTask);
    }

    [Theory]
    [InlineData(Outcome.Applied)]
    [InlineData(Outcome.Stale)]
    [InlineData(Outcome.Duplicate)]
    public async Task Final_outcomes_complete_the_message_once_and_do_nothing_else(Outcome outcome)
    {
        var message = Message();

        var settled = await SettleAsync(message, Result(outcome));

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
        var message = Message("msg-1~s41~r2", Signed("msg-1~s41~r2", MessageBody, new Dictionary<string, object>
        {
            [MessageProperties.Attempt] = 2, [MessageProperties.RetryOf] = "msg-1", [MessageProperties.LineageSequenceNumber] = 41L,
        }));
        Dictionary<string, object>? properties = null;
        _actions.Setup(a => a.DeadLetterMessageAsync(message, It.IsAny<Dictionary<string, object>?>(), reason, detail, _ct))
            .Callback((ServiceBusReceivedMessage _, Dictionary<string, object>? p, string? _, string? _, CancellationToken _) => properties = p)
            .Returns(Task.CompletedTask);

        var settled = await SettleAsync(message, Result(Outcome.Rejected, reason, detail));

        Assert.Equal(SettlementAction.DeadLettered, settled.Action);
        _actions.Verify(a => a.DeadLetterMessageAsync(message, It.IsAny<Dictionary<string, object>?>(), reason, detail, _ct), Times.Once);
        _actions.VerifyNoOtherCalls();
        _sender.VerifyNoOtherCalls();
        Assert.NotNull(properties);
        Assert.Equal("2026-11-28T12:00:00.0000000Z", properties[MessageProperties.FailedAt]);
        Assert.Equal(2, properties[MessageProperties.Attempt]);
        Assert.Equal(RoleSyncInfo.Version, properties[MessageProperties.Version]);
        Assert.True(MessageLineage.Read(AsDeadLetter(message, properties), Signature, deadLetter: true).Verified); // the replayer trusts it
    }

    [Fact]
    public async Task A_transient_failure_schedules_a_signed_copy_and_only_then_completes_the_original()
    {
        var message = Message(properties: new() { ["source-system"] = "workday", ["Diagnostic-Id"] = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01" });
        ServiceBusMessage? copy = null;
        DateTimeOffset enqueueAt = default;
        _sender.Setup(s => s.ScheduleMessageAsync(It.IsAny<ServiceBusMessage>(), It.IsAny<DateTimeOffset>(), _ct))
            .Callback((ServiceBusMessage m, DateTimeOffset at, CancellationToken _) => { copy = m; enqueueAt = at; _calls.Add("schedule"); })
            .ReturnsAsync(42L);

        var settled = await SettleAsync(message, Result(Outcome.Transient, Reasons.ClerkUnavailable, "Clerk answered 503"));

        Assert.Equal(SettlementAction.RetryScheduled, settled.Action);
        Assert.Equal(["schedule", "complete"], _calls);
        Assert.Equal(Now.AddSeconds(30), enqueueAt);
        Assert.NotNull(copy);
        Assert.Equal("msg-1~s41~r2", copy.MessageId);
        Assert.Equal(message.Body.ToString(), copy.Body.ToString());
        Assert.Equal("application/json", copy.ContentType);
        Assert.Equal("corr-1", copy.CorrelationId);
        Assert.Equal("workday", copy.ApplicationProperties["source-system"]);
        Assert.Equal("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01", copy.ApplicationProperties["Diagnostic-Id"]);
        Assert.Equal(2, copy.ApplicationProperties[MessageProperties.Attempt]);
        Assert.Equal("msg-1", copy.ApplicationProperties[MessageProperties.RetryOf]);
        Assert.Equal(Reasons.ClerkUnavailable, copy.ApplicationProperties[MessageProperties.LastReason]);
        Assert.Equal(2, MessageLineage.Read(Delivered(copy, 50), Signature).Attempt); // delivered, it verifies as attempt 2
        _actions.Verify(a => a.CompleteMessageAsync(message, _ct), Times.Once);
        _actions.VerifyNoOtherCalls();
    }

    [Fact]
    public async Task A_retry_copy_that_fails_again_schedules_the_next_attempt_under_the_original_message_id()
    {
        var message = Copy(attempt: 3);
        ServiceBusMessage? copy = null;
        DateTimeOffset enqueueAt = default;
        _sender.Setup(s => s.ScheduleMessageAsync(It.IsAny<ServiceBusMessage>(), It.IsAny<DateTimeOffset>(), _ct))
            .Callback((ServiceBusMessage m, DateTimeOffset at, CancellationToken _) => { copy = m; enqueueAt = at; })
            .ReturnsAsync(43L);

        await SettleAsync(message, Result(Outcome.Transient, Reasons.SecretUnavailable, "Key Vault answered 503"));

        Assert.NotNull(copy);
        Assert.Equal("msg-1~s41~r4", copy.MessageId);
        Assert.Equal(4, copy.ApplicationProperties[MessageProperties.Attempt]);
        Assert.Equal("msg-1", copy.ApplicationProperties[MessageProperties.RetryOf]);
        Assert.Equal(Now.AddMinutes(10), enqueueAt);
        _actions.Verify(a => a.CompleteMessageAsync(message, _ct), Times.Once);
    }

    [Fact]
    public async Task A_producer_s_rolesync_attempt_is_ignored_it_is_attempt_1()
    {
        var forged = Message(properties: new() { [MessageProperties.Attempt] = 8, [MessageProperties.RetryOf] = "victim" });
        ServiceBusMessage? copy = null;
        _sender.Setup(s => s.ScheduleMessageAsync(It.IsAny<ServiceBusMessage>(), It.IsAny<DateTimeOffset>(), _ct))
            .Callback((ServiceBusMessage m, DateTimeOffset _, CancellationToken _) => copy = m).ReturnsAsync(42L);

        var settled = await SettleAsync(forged, Result(Outcome.Transient, Reasons.ClerkUnavailable, "Clerk answered 503"));

        Assert.Equal(SettlementAction.RetryScheduled, settled.Action); // not RetriesExhausted
        Assert.Equal(("msg-1~s41~r2", 2, "msg-1"), (copy!.MessageId, copy.ApplicationProperties[MessageProperties.Attempt], copy.ApplicationProperties[MessageProperties.RetryOf]));
    }

    [Fact]
    public async Task A_long_Retry_After_from_Clerk_sets_the_scheduled_time()
    {
        var message = Message();
        var result = Result(Outcome.Transient, Reasons.ClerkRateLimited, "Clerk answered 429", TimeSpan.FromMinutes(5));

        await SettleAsync(message, result);

        _sender.Verify(s => s.ScheduleMessageAsync(It.IsAny<ServiceBusMessage>(), Now.AddMinutes(5), _ct), Times.Once);
    }

    [Fact]
    public async Task A_429_reschedules_the_same_attempt_as_a_copy_named_and_counted_by_its_throttle_count()
    {
        ServiceBusMessage? copy = null;
        _sender.Setup(s => s.ScheduleMessageAsync(It.IsAny<ServiceBusMessage>(), It.IsAny<DateTimeOffset>(), _ct))
            .Callback((ServiceBusMessage m, DateTimeOffset _, CancellationToken _) => copy = m).ReturnsAsync(42L);

        var settled = await SettleAsync(Copy(attempt: 3), Result(Outcome.Transient, Reasons.ClerkRateLimited, "Clerk answered 429"));

        Assert.Equal(SettlementAction.RetryScheduled, settled.Action);
        Assert.Equal(3, copy!.ApplicationProperties[MessageProperties.Attempt]);
        Assert.Equal(1, copy.ApplicationProperties[MessageProperties.Throttled]);
        Assert.EndsWith("~r3~t1", copy.MessageId);
    }

    [Fact]
    public async Task When_the_budget_is_spent_the_message_is_dead_lettered_as_RetriesExhausted_and_nothing_is_scheduled()
    {
        var message = Copy(attempt: 8);

        var settled = await SettleAsync(message, Result(Outcome.Transient, Reasons.ClerkUnavailable, "Clerk answered 503"));

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
    public async Task If_scheduling_fails_the_message_is_left_unsettled_for_its_lock_to_expire_not_abandoned_or_completed()
    {
        var message = Message();
        _sender.Setup(s => s.ScheduleMessageAsync(It.IsAny<ServiceBusMessage>(), It.IsAny<DateTimeOffset>(), It.IsAny<CancellationToken>()))
            .ThrowsAsync(new ServiceBusException("namespace unreachable", ServiceBusFailureReason.ServiceCommunicationProblem));

        var settled = await SettleAsync(message, Result(Outcome.Transient, Reasons.ClerkUnavailable, "Clerk answered 503"));

        Assert.Equal(SettlementAction.Unsettled, settled.Action);
        Assert.Contains("namespace unreachable", Assert.IsType<SettlementDecision.LetLockExpire>(settled.Decision).Failure);
        _actions.VerifyNoOtherCalls(); // no hot redelivery: the broker redelivers after the lock duration
        var warning = Assert.Single(_logger.Collector.GetSnapshot(), r => r.Level == LogLevel.Warning);
        Assert.Contains("msg-1~s41~r2", warning.Message);
        Assert.IsType<ServiceBusException>(warning.Exception);
    }

    [Theory]
    [InlineData(10, 8, SettlementAction.Unsettled)]
    [InlineData(10, 9, SettlementAction.DeadLettered)]
    [InlineData(10, 10, SettlementAction.DeadLettered)]
    [InlineData(5, 3, SettlementAction.Unsettled)]
    [InlineData(5, 4, SettlementAction.DeadLettered)]
    public async Task On_the_last_delivery_a_copy_that_cannot_be_scheduled_is_dead_lettered_with_RoleSync_s_reason(
        int maxDeliveryCount, int deliveryCount, SettlementAction expected)
    {
        _maxDeliveryCount = maxDeliveryCount;
        var message = Copy(attempt: 3, deliveryCount: deliveryCount);
        _sender.Setup(s => s.ScheduleMessageAsync(It.IsAny<ServiceBusMessage>(), It.IsAny<DateTimeOffset>(), It.IsAny<CancellationToken>()))
            .ThrowsAsync(new ServiceBusException("throttled", ServiceBusFailureReason.ServiceBusy));

        var settled = await SettleAsync(message, Result(Outcome.Transient, Reasons.LedgerUnavailable, "Table answered 503"));

        Assert.Equal(expected, settled.Action);
        _actions.Verify(a => a.DeadLetterMessageAsync(
            message,
            It.Is<Dictionary<string, object>?>(p => p != null && (int)p[MessageProperties.Attempt] == 3 && (string)p[MessageProperties.LastReason] == Reasons.LedgerUnavailable),
            Reasons.LedgerUnavailable,
            It.Is<string?>(d => d != null && d.Contains("retry copy for attempt 4 could not be scheduled") && d.Contains("throttled") && d.Contains("Table answered 503")),
            _ct), expected == SettlementAction.DeadLettered ? Times.Once() : Times.Never());
        _actions.VerifyNoOtherCalls();
    }

    [Fact]
    public async Task Without_a_key_no_copy_is_sent_the_message_waits_for_redelivery_and_is_dead_lettered_on_its_last()
    {
        var early = Message(deliveryCount: 1);
        var last = Message(deliveryCount: 9);
        var result = Result(Outcome.Transient, Reasons.SecretUnavailable, "Key Vault unreachable");

        var first = await SettleAsync(early, result, signature: null);
        var end = await SettleAsync(last, result, signature: null);

        Assert.Equal((SettlementAction.Unsettled, SettlementAction.DeadLettered), (first.Action, end.Action));
        _sender.VerifyNoOtherCalls(); // an unsigned copy would count as attempt 1 again, for ever
        var deadLetter = Assert.IsType<SettlementDecision.DeadLetter>(end.Decision);
        Assert.Equal(Reasons.SecretUnavailable, deadLetter.Reason);
        Assert.Contains("no key to sign it", deadLetter.Description);
        _actions.Verify(a => a.DeadLetterMessageAsync(last,
            It.Is<Dictionary<string, object>?>(p => p != null && (string)p[MessageProperties.Signature] == ""), Reasons.SecretUnavailable, It.IsAny<string?>(), _ct), Times.Once);
    }

    [Fact]
    public async Task When_completing_fails_after_the_copy_was_scheduled_the_original_is_abandoned_and_the_copy_cancelled()
    {
        var message = Message();
        _actions.Setup(a => a.CompleteMessageAsync(message, It.IsAny<CancellationToken>()))
            .Callback(() => _calls.Add("complete")).ThrowsAsync(new InvalidOperationException("settlement channel unavailable"));

        var settled = await SettleAsync(message, Result(Outcome.Transient, Reasons.ClerkUnavailable, "Clerk answered 503"));

        Assert.Equal(SettlementAction.Abandoned, settled.Action);
        Assert.Equal(["schedule", "complete", "abandon", "cancel"], _calls);
        _sender.Verify(s => s.CancelScheduledMessageAsync(42L, _ct), Times.Once);
        _actions.Verify(a => a.AbandonMessageAsync(message, null, _ct), Times.Once);
        Assert.Contains(_logger.Collector.GetSnapshot(), r => r.Level == LogLevel.Warning && r.Message.Contains("copy cancelled"));

        // The redelivered original is the only lineage, and its copy is not a repeat of the cancelled one.
        ServiceBusMessage? next = null;
        _sender.Setup(s => s.ScheduleMessageAsync(It.IsAny<ServiceBusMessage>(), It.IsAny<DateTimeOffset>(), _ct))
            .Callback((ServiceBusMessage m, DateTimeOffset _, CancellationToken _) => next = m).ReturnsAsync(43L);
        var redelivered = Message(deliveryCount: 2);
        _actions.Setup(a => a.CompleteMessageAsync(redelivered, It.IsAny<CancellationToken>())).Returns(Task.CompletedTask);
        Assert.Equal(SettlementAction.RetryScheduled, (await SettleAsync(redelivered, Result(Outcome.Transient, Reasons.ClerkUnavailable, "Clerk answered 503"))).Action);
        Assert.Equal("msg-1~s41~r2~d2", next!.MessageId);
    }

    [Fact]
    public async Task When_the_cancel_fails_too_both_lineages_run_and_it_is_logged()
    {
        var message = Message();
        _actions.Setup(a => a.CompleteMessageAsync(message, It.IsAny<CancellationToken>())).ThrowsAsync(new InvalidOperationException("settlement channel unavailable"));
        _sender.Setup(s => s.CancelScheduledMessageAsync(42L, It.IsAny<CancellationToken>())).ThrowsAsync(new ServiceBusException("busy", ServiceBusFailureReason.ServiceBusy));

        var settled = await SettleAsync(message, Result(Outcome.Transient, Reasons.ClerkUnavailable, "Clerk answered 503"));

        Assert.Equal(SettlementAction.Abandoned, settled.Action);
        Assert.Contains(_logger.Collector.GetSnapshot(), r => r.Level == LogLevel.Error && r.Message.Contains("cancelling the copy failed too"));
    }

    [Fact]
    public async Task When_the_abandon_fails_too_the_copy_is_kept_and_the_failure_surfaced()
    {
        var message = Message();
        var failure = new InvalidOperationException("The message lock was lost.");
        _actions.Setup(a => a.CompleteMessageAsync(message, It.IsAny<CancellationToken>())).ThrowsAsync(failure);
        _actions.Setup(a => a.AbandonMessageAsync(message, It.IsAny<IDictionary<string, object>?>(), It.IsAny<CancellationToken>()))
            .ThrowsAsync(new InvalidOperationException("The message lock was lost."));

        var thrown = await Assert.ThrowsAsync<InvalidOperationException>(
            () => SettleAsync(message, Result(Outcome.Transient, Reasons.ClerkUnavailable, "Clerk answered 503")));

        Assert.Same(failure, thrown);
        _sender.Verify(s => s.CancelScheduledMessageAsync(It.IsAny<long>(), It.IsAny<CancellationToken>()), Times.Never); // the complete may have happened
        Assert.Contains(_logger.Collector.GetSnapshot(), r => r.Level == LogLevel.Error && r.Message.Contains("the copy is kept"));
        Assert.Contains(_logger.Collector.GetSnapshot(), r => r.Level == LogLevel.Error && r.Message.Contains("RetryScheduled"));
    }

    [Fact]
    public async Task A_failing_settlement_call_is_logged_and_surfaced()
    {
        var message = Message();
        var failure = new InvalidOperationException("The message lock was lost.");
        _actions.Setup(a => a.CompleteMessageAsync(message, It.IsAny<CancellationToken>())).ThrowsAsync(failure);

        var thrown = await Assert.ThrowsAsync<InvalidOperationException>(() => SettleAsync(message, Result(Outcome.Applied)));

        Assert.Same(failure, thrown);
        var error = Assert.Single(_logger.Collector.GetSnapshot(), r => r.Level == LogLevel.Error);
        Assert.Same(failure, error.Exception);
        Assert.Contains("msg-1", error.Message);
        Assert.Contains("Completed", error.Message);
    }

    [Fact]
    public async Task A_failing_dead_letter_on_the_last_delivery_is_logged_and_surfaced()
    {
        var message = Message(deliveryCount: 9);
        _sender.Setup(s => s.ScheduleMessageAsync(It.IsAny<ServiceBusMessage>(), It.IsAny<DateTimeOffset>(), It.IsAny<CancellationToken>()))
            .ThrowsAsync(new ServiceBusException("throttled", ServiceBusFailureReason.ServiceBusy));
        _actions.Setup(a => a.DeadLetterMessageAsync(message, It.IsAny<Dictionary<string, object>?>(), It.IsAny<string?>(), It.IsAny<string?>(), It.IsAny<CancellationToken>()))
            .ThrowsAsync(new InvalidOperationException("The message lock was lost."));

        await Assert.ThrowsAsync<InvalidOperationException>(
            () => SettleAsync(message, Result(Outcome.Transient, Reasons.ClerkUnavailable, "Clerk answered 503")));

        _actions.Verify(a => a.CompleteMessageAsync(It.IsAny<ServiceBusReceivedMessage>(), It.IsAny<CancellationToken>()), Times.Never);
        Assert.Contains(_logger.Collector.GetSnapshot(), r => r.Level == LogLevel.Error && r.Message.Contains("DeadLettered"));
    }

    public void Dispose() => _cts.Dispose();

    private Task<SettlementResult> SettleAsync(ServiceBusReceivedMessage message, ProcessingResult result) => SettleAsync(message, result, Signature);

    private Task<SettlementResult> SettleAsync(ServiceBusReceivedMessage message, ProcessingResult result, MessageSignature? signature) =>
        Settler().SettleAsync(message, _actions.Object, result, MessageLineage.Read(message, signature), signature, _ct);

    private MessageSettler Settler() =>
        new(_sender.Object, Options.Create(new RetryOptions()), Options.Create(new DeliveryOptions { MaxDeliveryCount = _maxDeliveryCount }), new FakeTimeProvider(Now), _logger);

    /// <summary>RoleSync's signed copy of msg-1 (lineage sequence number 41) for <paramref name="attempt"/>.</summary>
    private static ServiceBusReceivedMessage Copy(int attempt, int deliveryCount = 1)
    {
        var id = $"msg-1~s41~r{attempt}";
        return Message(id, Signed(id, MessageBody, new Dictionary<string, object>
        {
            [MessageProperties.Attempt] = attempt, [MessageProperties.RetryOf] = "msg-1", [MessageProperties.LineageSequenceNumber] = 41L,
        }), deliveryCount, sequenceNumber: 60 + attempt);
    }

    internal static readonly BinaryData MessageBody = BinaryData.FromString("""{"eventId":"evt-1"}""");

    internal static ServiceBusReceivedMessage Message(
        string messageId = "msg-1", Dictionary<string, object>? properties = null, int deliveryCount = 1, long sequenceNumber = 41) =>
        ServiceBusModelFactory.ServiceBusReceivedMessage(
            body: MessageBody,
            messageId: messageId,
            correlationId: "corr-1",
            contentType: "application/json",
            properties: properties ?? new Dictionary<string, object>(),
            deliveryCount: deliveryCount,
            sequenceNumber: sequenceNumber,
            lockTokenGuid: Guid.NewGuid());

    private static ServiceBusReceivedMessage AsDeadLetter(ServiceBusReceivedMessage message, Dictionary<string, object> modified)
    {
        var properties = new Dictionary<string, object>(message.ApplicationProperties);
        foreach (var (name, value) in modified)
        {
            properties[name] = value;
        }
        return Message(message.MessageId, properties, message.DeliveryCount, message.SequenceNumber);
    }

    private static ProcessingResult Result(Outcome outcome, string? reason = null, string? detail = null, TimeSpan? retryAfter = null) =>
        new(outcome, null, "evt-1", reason, detail, retryAfter);
}
