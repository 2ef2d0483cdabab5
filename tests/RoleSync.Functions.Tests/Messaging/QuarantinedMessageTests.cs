using RoleSync.Quarantine;
using Microsoft.Extensions.Logging.Abstractions;
using RoleSync.Functions;
using static RoleSync.Testing.TestSigning;

namespace RoleSync.Functions.Tests.Messaging;

/// <summary>
/// The queue handler while RoleSync is in quarantine (the state row already open, in memory): the message is not sent to
/// Clerk, its copy keeps its attempt, nothing is dead-lettered, and once the circuit closes the message is processed again.
/// </summary>
public sealed class QuarantinedMessageTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Now = new(2026, 11, 28, 12, 0, 0, TimeSpan.Zero);
    private readonly FakeTimeProvider _time = new(Now);
    private readonly InMemoryQuarantineStore _store = new();
    private readonly Mock<ServiceBusMessageActions> _actions = new();
    private readonly Mock<ServiceBusSender> _sender = new();
    private readonly List<ServiceBusMessage> _copies = [];
    private ClerkSandbox.ClerkSandbox? _clerk;
    private IHost? _host;

    public async Task InitializeAsync()
    {
        _clerk = await RoleSyncHarness.StartSandboxAsync();
        var settings = TestHost.LocalSettings(_clerk.BaseUrl.ToString());
        settings["Clerk:MaxRetryAttempts"] = "0";
        _host = TestHost.Build(settings, Environments.Development, services =>
        {
            services.AddSingleton<TimeProvider>(_time);
            services.AddSingleton<IMembershipLedger>(new InMemoryMembershipLedger());
            services.AddSingleton<IQuarantineStore>(_store);
            services.AddSingleton(_sender.Object);
        });
        _sender.Setup(s => s.ScheduleMessageAsync(It.IsAny<ServiceBusMessage>(), It.IsAny<DateTimeOffset>(), It.IsAny<CancellationToken>()))
            .Callback((ServiceBusMessage m, DateTimeOffset _, CancellationToken _) => _copies.Add(m)).ReturnsAsync(77L);
        _actions.Setup(a => a.CompleteMessageAsync(It.IsAny<ServiceBusReceivedMessage>(), It.IsAny<CancellationToken>())).Returns(Task.CompletedTask);
        var circuit = _host.Services.GetRequiredService<QuarantineCircuit>();
        await circuit.OpenAsync(QuarantineTriggers.ClerkUnauthorized, "Clerk answered 401 clerk_key_invalid", OrgId);
    }

    [Fact]
    public async Task A_held_message_on_its_last_attempt_is_rescheduled_at_that_attempt_after_the_probe_and_not_sent_to_Clerk()
    {
        var message = Attempt(8);

        await Handler.HandleAsync(message, _actions.Object);

        var copy = Assert.Single(_copies);
        Assert.Equal(8, copy.ApplicationProperties[MessageProperties.Attempt]);
        Assert.Equal(1, copy.ApplicationProperties[MessageProperties.Throttled]);
        Assert.Equal(Reasons.Quarantined, copy.ApplicationProperties[MessageProperties.LastReason]);
        Assert.Equal(Now.AddMinutes(1) + QuarantineGuard.HoldMargin, copy.ScheduledEnqueueTime);
        Assert.Equal("msg-1~s41~r8~t1", copy.MessageId);
        Assert.Equal(0, _clerk!.RequestCount);
        _actions.Verify(a => a.CompleteMessageAsync(message, It.IsAny<CancellationToken>()), Times.Once);
        _actions.Verify(a => a.DeadLetterMessageAsync(It.IsAny<ServiceBusReceivedMessage>(), It.IsAny<Dictionary<string, object>?>(),
            It.IsAny<string?>(), It.IsAny<string?>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task The_probe_that_closes_the_circuit_lets_the_message_through()
    {
        _time.Advance(TimeSpan.FromMinutes(1) + QuarantineGuard.HoldMargin);

        await Handler.HandleAsync(Attempt(8), _actions.Object);

        Assert.Empty(_copies);
        Assert.Equal("org:admin", _clerk!.GetRole(OrgId, MemberId));
        Assert.False((await _host!.Services.GetRequiredService<QuarantineCircuit>().ReadAsync()).Active);
        Assert.Contains(_host.Services.GetRequiredService<FakeLogCollector>().GetSnapshot(), r => r.Id.Id == 1601); // QuarantineClosed
    }

    [Fact]
    public async Task The_probe_timer_closes_the_circuit_when_due_without_a_message()
    {
        var probe = ActivatorUtilities.CreateInstance<QuarantineProbeFunction>(_host!.Services);
        var circuit = _host.Services.GetRequiredService<QuarantineCircuit>();

        await probe.RunAsync(new TimerInfo(), CancellationToken.None);
        Assert.True((await circuit.ReadAsync()).Active); // not due yet
        _time.Advance(TimeSpan.FromMinutes(1));
        await probe.RunAsync(new TimerInfo(), CancellationToken.None);

        var state = await circuit.ReadAsync();
        Assert.False(state.Active);
        Assert.Equal(1, state.Probes);
        Assert.Equal(1, _clerk!.RequestCount); // the probe's one read
    }

    [Fact]
    public async Task The_reconcile_timer_makes_no_Clerk_call_while_in_quarantine()
    {
        await _host!.Services.GetRequiredService<IMembershipLedger>().TryWriteAsync(
            MembershipRecord.NewestFrom(new RoleSync.Contract.RoleChange("evt-r", Now, OrgId, MemberId, "org:admin", null, null), Now));

        await ActivatorUtilities.CreateInstance<ReconcileFunction>(_host.Services).RunAsync(new TimerInfo(), CancellationToken.None);

        Assert.Equal(0, _clerk!.RequestCount);
        Assert.Contains(_host.Services.GetRequiredService<FakeLogCollector>().GetSnapshot(), r => r.Id.Id == 1101);
    }

    [Fact]
    public async Task Without_a_key_to_sign_it_a_held_message_is_rescheduled_unsigned_not_dead_lettered()
    {
        var settler = new MessageSettler(_sender.Object, Options.Create(new RetryOptions()), Options.Create(new DeliveryOptions { MaxDeliveryCount = 10 }),
            _time, NullLogger<MessageSettler>.Instance);
        var message = ServiceBusModelFactory.ServiceBusReceivedMessage(body: BinaryData.FromString(Plain("evt-nokey")), messageId: "evt-nokey",
            properties: new Dictionary<string, object> { [MessageProperties.Attempt] = 7 }, deliveryCount: 9, sequenceNumber: 12, lockTokenGuid: Guid.NewGuid());
        var held = ProcessingResult.Transient(null, Reasons.Quarantined, "held", TimeSpan.FromMinutes(2));

        var settled = await settler.SettleAsync(message, _actions.Object, held, MessageLineage.Read(message, null), signature: null);

        Assert.Equal(SettlementAction.RetryScheduled, settled.Action);
        var copy = Assert.Single(_copies);
        Assert.Equal("evt-nokey~s12~r1~t1~d9", copy.MessageId);
        Assert.Equal(_time.GetUtcNow().AddMinutes(2), copy.ScheduledEnqueueTime);
        Assert.DoesNotContain(copy.ApplicationProperties.Keys, MessageProperties.IsRoleSyncProperty); // a producer's message again
        _actions.Verify(a => a.DeadLetterMessageAsync(It.IsAny<ServiceBusReceivedMessage>(), It.IsAny<Dictionary<string, object>?>(),
            It.IsAny<string?>(), It.IsAny<string?>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    public async Task DisposeAsync()
    {
        _host?.Dispose();
        if (_clerk is not null)
        {
            await _clerk.DisposeAsync();
        }
    }

    private RoleChangeMessageHandler Handler => _host!.Services.GetRequiredService<RoleChangeMessageHandler>();

    /// <summary>RoleSync's signed copy of msg-1 for <paramref name="attempt"/>: the member becomes org:admin.</summary>
    private static ServiceBusReceivedMessage Attempt(int attempt)
    {
        var id = $"msg-1~s41~r{attempt}";
        var body = BinaryData.FromString(Plain("evt-held", Now.AddMinutes(-5), userId: MemberId, role: "org:admin"));
        return ServiceBusModelFactory.ServiceBusReceivedMessage(
            body: body,
            messageId: id, contentType: "application/json",
            properties: Signed(id, body, new Dictionary<string, object>
            {
                [MessageProperties.Attempt] = attempt, [MessageProperties.RetryOf] = "msg-1", [MessageProperties.LineageSequenceNumber] = 41L,
            }),
            deliveryCount: 1, sequenceNumber: 60 + attempt, lockTokenGuid: Guid.NewGuid(), enqueuedTime: Now.AddMinutes(-5));
    }
}
