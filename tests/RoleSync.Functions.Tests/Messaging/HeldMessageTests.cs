using RoleSync.Guard;
using static RoleSync.Testing.TestSigning;

namespace RoleSync.Functions.Tests.Messaging;

/// <summary>
/// The queue handler with the bulk-change guard at Guard:MaxPerWindow 1: the second removal of the organization is not
/// sent to Clerk but rescheduled at its attempt (nothing dead-lettered), and after an approval its next delivery applies it.
/// </summary>
public sealed class HeldMessageTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Now = new(2026, 11, 28, 12, 0, 0, TimeSpan.Zero);
    private const string OtherMemberId = "user_2guardOtherMember";
    private readonly FakeTimeProvider _time = new(Now);
    private readonly Mock<ServiceBusMessageActions> _actions = new();
    private readonly Mock<ServiceBusSender> _sender = new();
    private readonly List<ServiceBusMessage> _copies = [];
    private ClerkSandbox.ClerkSandbox? _clerk;
    private IHost? _host;

    public async Task InitializeAsync()
    {
        _clerk = await RoleSyncHarness.StartSandboxAsync();
        _clerk.AddMember(OrgId, OtherMemberId, "org:member");
        var settings = TestHost.LocalSettings(_clerk.BaseUrl.ToString());
        settings["Clerk:MaxRetryAttempts"] = "0";
        settings["Guard:MaxPerWindow"] = "1";
        _host = TestHost.Build(settings, Environments.Development, services =>
        {
            services.AddSingleton<TimeProvider>(_time);
            services.AddSingleton<IMembershipLedger>(new InMemoryMembershipLedger());
            services.AddSingleton(_sender.Object);
        });
        _sender.Setup(s => s.ScheduleMessageAsync(It.IsAny<ServiceBusMessage>(), It.IsAny<DateTimeOffset>(), It.IsAny<CancellationToken>()))
            .Callback((ServiceBusMessage m, DateTimeOffset _, CancellationToken _) => _copies.Add(m)).ReturnsAsync(77L);
        _actions.Setup(a => a.CompleteMessageAsync(It.IsAny<ServiceBusReceivedMessage>(), It.IsAny<CancellationToken>())).Returns(Task.CompletedTask);
    }

    [Fact]
    public async Task The_change_over_the_limit_is_rescheduled_at_its_attempt_not_sent_and_applied_after_approval()
    {
        await Handler.HandleAsync(Removal("evt-r1", OtherMemberId, 1), _actions.Object);
        var requests = _clerk!.RequestCount;
        var held = Removal("evt-r2", MemberId, 2);

        await Handler.HandleAsync(held, _actions.Object);

        var copy = Assert.Single(_copies);
        Assert.Equal(1, copy.ApplicationProperties[MessageProperties.Attempt]);
        Assert.Equal(1, copy.ApplicationProperties[MessageProperties.Throttled]);
        Assert.Equal(Reasons.HeldForApproval, copy.ApplicationProperties[MessageProperties.LastReason]);
        Assert.Equal(Now.AddMinutes(1), copy.ScheduledEnqueueTime);
        Assert.Equal(requests, _clerk.RequestCount); // nothing sent to Clerk
        Assert.Equal("org:member", _clerk.GetRole(OrgId, MemberId));
        _actions.Verify(a => a.DeadLetterMessageAsync(It.IsAny<ServiceBusReceivedMessage>(), It.IsAny<Dictionary<string, object>?>(),
            It.IsAny<string?>(), It.IsAny<string?>(), It.IsAny<CancellationToken>()), Times.Never);

        await _host!.Services.GetRequiredService<GuardHolds>().ApproveAsync(OrgId, "alice@example.com");
        await Handler.HandleAsync(Removal("evt-r2", MemberId, 3), _actions.Object);

        Assert.Single(_copies);
        Assert.Null(_clerk.GetRole(OrgId, MemberId));
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

    private ServiceBusReceivedMessage Removal(string eventId, string userId, long sequenceNumber) => ServiceBusModelFactory.ServiceBusReceivedMessage(
        body: BinaryData.FromString(Message(eventId, _time.GetUtcNow().AddSeconds(-1), OrgId, userId: userId, role: null, action: "remove")),
        messageId: eventId, contentType: "application/json", deliveryCount: 1, sequenceNumber: sequenceNumber, lockTokenGuid: Guid.NewGuid(),
        enqueuedTime: _time.GetUtcNow());
}
