using Azure.Messaging.ServiceBus;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Moq;
using RoleSync.ClerkSandbox;
using RoleSync.Functions.Messaging;
using RoleSync.Ledger;
using RoleSync.Messaging;
using RoleSync.Testing;

namespace RoleSync.Functions.Tests.Messaging;

/// <summary>
/// the effective time of a change is min(occurredAt, the time the queue received it). A retry copy
/// is the same change, received by the queue when the original was — but the handler orders it by the copy's own
/// EnqueuedTime (its scheduled time), so a change stamped a little in the future gets a later effective time on every
/// retry and can overtake a real newer change.
/// </summary>
public sealed class RetryCopyEffectiveTimeTests : IAsyncLifetime
{
    private readonly Mock<ServiceBusMessageActions> _actions = new();
    private readonly Mock<ServiceBusSender> _sender = new();
    private readonly List<ServiceBusMessage> _copies = [];
    private ClerkSandbox.ClerkSandbox _clerk = null!;
    private IHost _host = null!;

    public async Task InitializeAsync()
    {
        _clerk = await RoleSyncHarness.StartSandboxAsync();
        var settings = TestHost.LocalSettings(_clerk.BaseUrl.ToString());
        settings["Clerk:RetryBaseDelay"] = "00:00:00.010";
        settings["Clerk:MaxRetryAttempts"] = "0";
        _host = TestHost.Build(settings, Environments.Development, services =>
        {
            services.AddSingleton(_sender.Object);
            services.AddSingleton<IMembershipLedger>(new InMemoryMembershipLedger());
            services.AddSingleton<RoleSync.History.IMembershipHistory>(new RoleSync.History.InMemoryMembershipHistory());
        });
        _sender.Setup(s => s.ScheduleMessageAsync(It.IsAny<ServiceBusMessage>(), It.IsAny<DateTimeOffset>(), It.IsAny<CancellationToken>()))
            .Callback((ServiceBusMessage m, DateTimeOffset _, CancellationToken _) => _copies.Add(m)).ReturnsAsync(50L);
    }

    public async Task DisposeAsync()
    {
        _host.Dispose();
        await _clerk.DisposeAsync();
    }

    [Fact]
    public void A_retry_copy_is_ordered_by_the_original_receipt_not_its_scheduled_enqueue_time()
    {
        var enqueued = DateTimeOffset.UtcNow;
        var original = Received("evt-ahead", enqueued.AddMinutes(4), "org:admin", enqueued, sequenceNumber: 7);
        var lineage = MessageLineage.Read(original, TestSigning.Signature);
        var retry = new SettlementDecision.ScheduleRetry(2, TimeSpan.FromSeconds(30), enqueued.AddSeconds(30), Processing.Reasons.ClerkUnavailable);
        var copy = MessageCopies.RetryCopy(original, lineage, retry, TestSigning.Signature);
        var delivered = Deliver(copy, sequenceNumber: 9);

        var context = RoleChangeMessageHandler.ContextOf(delivered, MessageLineage.Read(delivered, TestSigning.Signature));

        Assert.True(context.Redelivered);
        Assert.Equal(enqueued, context.ReceivedAt); // the queue received this change at `enqueued`, not 30 s later
    }

    [Fact]
    public async Task A_retry_copy_of_a_future_stamped_change_does_not_overtake_a_newer_change()
    {
        var t0 = DateTimeOffset.UtcNow;
        // t1 (org:admin): producer clock 4 minutes ahead (within MaxClockSkew). Effective time = t0 (its enqueue).
        var t1 = Received("evt-t1", t0.AddMinutes(4), "org:admin", t0, sequenceNumber: 1);
        _clerk.FailNext(1); // Clerk 503 once: t1 is retried by a scheduled copy
        await RunAsync(t1);
        var copy = Assert.Single(_copies);

        // t2 (org:member), a real later change: occurred and enqueued 10 s after t1 was enqueued.
        await RunAsync(Received("evt-t2", t0.AddSeconds(10), "org:member", t0.AddSeconds(10), sequenceNumber: 2));
        Assert.Equal("org:member", _clerk.GetRole(RoleSyncHarness.OrgId, RoleSyncHarness.MemberId));

        // t1's retry copy arrives at its scheduled time (~t0 + 30 s). It is older than t2 by the ordering rule.
        await RunAsync(Deliver(copy, sequenceNumber: 3));

        Assert.Equal("org:member", _clerk.GetRole(RoleSyncHarness.OrgId, RoleSyncHarness.MemberId));
        var record = await _host.Services.GetRequiredService<IMembershipLedger>().GetAsync(RoleSyncHarness.OrgId, RoleSyncHarness.MemberId);
        Assert.Equal("evt-t2", record!.NewestEventId);
    }

    private Task RunAsync(ServiceBusReceivedMessage message) =>
        ActivatorUtilities.CreateInstance<ProcessRoleChangeFunction>(_host.Services).RunAsync(message, _actions.Object, CancellationToken.None);

    private static ServiceBusReceivedMessage Received(string eventId, DateTimeOffset occurredAt, string role, DateTimeOffset enqueuedTime, long sequenceNumber) =>
        ServiceBusModelFactory.ServiceBusReceivedMessage(
            body: BinaryData.FromString(Messages.Plain(eventId, occurredAt, role: role)), messageId: "msg-" + eventId,
            contentType: "application/json", properties: new Dictionary<string, object>(), deliveryCount: 1,
            sequenceNumber: sequenceNumber, enqueuedTime: enqueuedTime, lockTokenGuid: Guid.NewGuid());

    /// <summary>A scheduled copy as the broker delivers it: enqueued at its scheduled time.</summary>
    private static ServiceBusReceivedMessage Deliver(ServiceBusMessage sent, long sequenceNumber) =>
        ServiceBusModelFactory.ServiceBusReceivedMessage(
            body: sent.Body, messageId: sent.MessageId, correlationId: sent.CorrelationId, contentType: sent.ContentType,
            properties: new Dictionary<string, object>(sent.ApplicationProperties), scheduledEnqueueTime: sent.ScheduledEnqueueTime,
            enqueuedTime: sent.ScheduledEnqueueTime, sequenceNumber: sequenceNumber, deliveryCount: 1, lockTokenGuid: Guid.NewGuid());
}
