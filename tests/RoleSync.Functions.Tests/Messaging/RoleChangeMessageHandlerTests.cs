namespace RoleSync.Functions.Tests.Messaging;

/// <summary>
/// One attempt has a deadline (<see cref="ProcessingOptions.AttemptDeadline"/>) on the app's <see cref="TimeProvider"/>:
/// driven here by a <see cref="FakeTimeProvider"/> and a ledger that never answers.
/// </summary>
public sealed class RoleChangeMessageHandlerTests : IDisposable
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 28, 12, 0, 0, TimeSpan.Zero));
    private readonly HangingLedger _ledger = new();
    private readonly RoleSync.History.InMemoryMembershipHistory _history = new();
    private readonly Mock<ServiceBusMessageActions> _actions = new();
    private readonly Mock<ServiceBusSender> _sender = new();
    private readonly IHost _host;
    private ServiceBusMessage? _copy;

    public RoleChangeMessageHandlerTests()
    {
        var settings = TestHost.LocalSettings("http://127.0.0.1:9");
        settings["Processing:AttemptDeadline"] = "00:00:20";
        _host = TestHost.Build(settings, Environments.Development, services =>
        {
            services.AddSingleton<TimeProvider>(_time);
            services.AddSingleton<IMembershipLedger>(_ledger);
            services.AddSingleton<RoleSync.History.IMembershipHistory>(_history);
            services.AddSingleton(_sender.Object);
        });
        _sender.Setup(s => s.ScheduleMessageAsync(It.IsAny<ServiceBusMessage>(), It.IsAny<DateTimeOffset>(), It.IsAny<CancellationToken>()))
            .Callback((ServiceBusMessage m, DateTimeOffset _, CancellationToken _) => _copy = m).ReturnsAsync(5L);
        _actions.Setup(a => a.CompleteMessageAsync(It.IsAny<ServiceBusReceivedMessage>(), It.IsAny<CancellationToken>())).Returns(Task.CompletedTask);
    }

    [Fact]
    public async Task An_attempt_past_its_deadline_is_transient_and_settled_as_a_retry()
    {
        var message = Message();

        var handling = Handler.HandleAsync(message, _actions.Object, CancellationToken.None);
        await _ledger.Entered.Task;
        _time.Advance(TimeSpan.FromSeconds(19));
        Assert.False(handling.IsCompleted);
        _time.Advance(TimeSpan.FromSeconds(1));
        await handling.WaitAsync(TimeSpan.FromSeconds(30)); // a guard against hanging, not a synchronisation: the fake clock decides

        Assert.NotNull(_copy);
        Assert.Equal(2, _copy.ApplicationProperties[MessageProperties.Attempt]);
        Assert.Equal(Reasons.AttemptDeadlineExceeded, _copy.ApplicationProperties[MessageProperties.LastReason]);
        _actions.Verify(a => a.CompleteMessageAsync(message, CancellationToken.None), Times.Once);
        var line = Assert.Single(_host.Services.GetRequiredService<FakeLogCollector>().GetSnapshot(), r => r.Id.Id == 1000);
        Assert.Equal("Transient", line.GetStructuredStateValue("Outcome"));
        Assert.Equal(Reasons.AttemptDeadlineExceeded, line.GetStructuredStateValue("Reason"));
        Assert.Equal("evt-slow", line.GetStructuredStateValue("EventId"));
        Assert.Contains("Processing:AttemptDeadline (00:00:20)", line.GetStructuredStateValue("Detail"));
    }

    [Fact]
    public async Task An_attempt_past_its_deadline_is_recorded_as_retried_in_the_membership_history()
    {
        var handling = Handler.HandleAsync(Message(), _actions.Object, CancellationToken.None);
        await _ledger.Entered.Task;
        _time.Advance(TimeSpan.FromSeconds(20));
        await handling.WaitAsync(TimeSpan.FromSeconds(30)); // a guard against hanging, not a synchronisation

        var entry = Assert.Single((await _history.ListAsync(RoleSyncHarness.OrgId, RoleSyncHarness.MemberId, 10)).Entries);
        Assert.Equal(("evt-slow", RoleSync.History.HistoryOutcome.Retried, Reasons.AttemptDeadlineExceeded, 1), (entry.EventId, entry.Outcome, entry.Reason, entry.Attempt));
    }

    [Fact]
    public async Task A_cancelled_invocation_is_not_a_deadline_it_ends_unsettled()
    {
        using var invocation = new CancellationTokenSource();
        var handling = Handler.HandleAsync(Message(), _actions.Object, invocation.Token);
        await _ledger.Entered.Task;

        await invocation.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => handling);
        _actions.VerifyNoOtherCalls();
        _sender.VerifyNoOtherCalls();
    }

    public void Dispose() => _host.Dispose();

    private RoleChangeMessageHandler Handler => _host.Services.GetRequiredService<RoleChangeMessageHandler>();

    private static ServiceBusReceivedMessage Message() => ServiceBusModelFactory.ServiceBusReceivedMessage(
        body: BinaryData.FromString(Messages.Plain("evt-slow")), messageId: "evt-slow", contentType: "application/json",
        deliveryCount: 1, sequenceNumber: 3, lockTokenGuid: Guid.NewGuid());

    /// <summary>A ledger whose reads never answer until cancelled, and say when one started.</summary>
    private sealed class HangingLedger : IMembershipLedger
    {
        public TaskCompletionSource Entered { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public async Task<MembershipRecord?> GetAsync(string organizationId, string userId, CancellationToken cancellationToken = default)
        {
            Entered.TrySetResult();
            await Task.Delay(Timeout.Infinite, cancellationToken);
            return null;
        }

        public Task<MembershipRecord?> TryWriteAsync(MembershipRecord record, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException();

        public Task<string?> RecordEventAsync(string eventId, string content, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException();

        public IAsyncEnumerable<MembershipRecord> ListAsync(string? organizationId = null, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException();
    }
}
