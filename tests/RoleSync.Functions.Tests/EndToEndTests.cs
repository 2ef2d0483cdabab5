using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using RoleSync.ClerkSandbox;

namespace RoleSync.Functions.Tests;

/// <summary>
/// Through the function method, with the app's registrations: a message in, the Clerk sandbox (real HTTP on
/// 127.0.0.1) changed or not, the ledger in Azurite (a table per test), and the settlement calls on mocked message
/// actions and sender.
/// </summary>
public sealed class EndToEndTests : IAsyncLifetime
{
    private readonly Mock<ServiceBusMessageActions> _actions = new();
    private readonly Mock<ServiceBusSender> _sender = new();
    private ClerkSandbox.ClerkSandbox _clerk = null!;
    private IHost _host = null!;

    public async Task InitializeAsync()
    {
        _clerk = await RoleSyncHarness.StartSandboxAsync();

        var settings = TestHost.LocalSettings(_clerk.BaseUrl.ToString());
        settings["Clerk:RetryBaseDelay"] = "00:00:00.010";
        settings["AzureWebJobsStorage"] = await Azurite.GetConnectionStringAsync();
        settings["Ledger:TableName"] = Azurite.NewTableName("ledger");
        settings["Reconcile:Schedule"] = ReconcileOptions.DefaultSchedule;
        _host = TestHost.Build(settings, Environments.Development, services => services.AddSingleton(_sender.Object));
    }

    public async Task DisposeAsync()
    {
        _host.Dispose();
        await _clerk.DisposeAsync();
    }

    [Fact]
    public async Task A_role_change_is_applied_in_Clerk_and_the_message_completed_with_one_log_line_a_span_and_metrics()
    {
        var producer = new ActivityContext(ActivityTraceId.CreateRandom(), ActivitySpanId.CreateRandom(), ActivityTraceFlags.Recorded);
        var message = Message(Messages.Plain(eventId: "evt-applied", role: "org:admin"), new()
        {
            ["traceparent"] = $"00-{producer.TraceId}-{producer.SpanId}-01",
        });
        using var spans = new SpanCollector(producer.TraceId);
        using var messages = new MetricCollector<long>(MeterFactory, RoleSyncTelemetry.Name, "rolesync.messages");
        using var durations = new MetricCollector<double>(MeterFactory, RoleSyncTelemetry.Name, "rolesync.message.duration");

        await RunAsync(message);

        Assert.Equal("org:admin", _clerk.GetRole(RoleSyncHarness.OrgId, RoleSyncHarness.MemberId));
        _actions.Verify(a => a.CompleteMessageAsync(message, It.IsAny<CancellationToken>()), Times.Once);
        _actions.VerifyNoOtherCalls();
        _sender.VerifyNoOtherCalls();

        var line = Assert.Single(Logs.GetSnapshot(), r => r.Id.Id == 1000);
        Assert.Equal("evt-applied", line.GetStructuredStateValue("EventId"));
        Assert.Equal("msg-evt-applied", line.GetStructuredStateValue("MessageId"));
        Assert.Equal("corr-1", line.GetStructuredStateValue("CorrelationId"));
        Assert.Equal(RoleSyncHarness.OrgId, line.GetStructuredStateValue("OrganizationId"));
        Assert.Equal(RoleSyncHarness.MemberId, line.GetStructuredStateValue("UserId"));
        Assert.Equal("org:admin", line.GetStructuredStateValue("Role"));
        Assert.Equal("Applied", line.GetStructuredStateValue("Outcome"));
        Assert.Equal("Completed", line.GetStructuredStateValue("Settlement"));
        Assert.Equal("1", line.GetStructuredStateValue("Attempt"));
        Assert.NotNull(line.GetStructuredStateValue("DurationMs"));
        Assert.DoesNotContain(RoleSyncHarness.SecretKey, AllLogText());

        var span = Assert.Single(spans.From(RoleSyncTelemetry.Name));
        Assert.Equal(RoleChangeMessageHandler.SpanName, span.OperationName);
        Assert.Equal(producer.SpanId, span.ParentSpanId); // the producer's trace is continued
        Assert.Equal("Applied", span.GetTagItem(RoleSyncTelemetry.OutcomeTag));
        Assert.Equal("evt-applied", span.GetTagItem("rolesync.event_id"));
        Assert.Contains(spans.From("System.Net.Http"), http => http.ParentSpanId == span.SpanId); // the Clerk call

        var counted = Assert.Single(messages.GetMeasurementSnapshot());
        Assert.Equal(1, counted.Value);
        Assert.Equal("Applied", counted.Tags[RoleSyncTelemetry.OutcomeTag]);
        Assert.Equal("none", counted.Tags[RoleSyncTelemetry.ReasonTag]);
        Assert.Equal("Completed", counted.Tags[RoleSyncTelemetry.SettlementTag]);
        Assert.True(Assert.Single(durations.GetMeasurementSnapshot()).Value > 0);
    }

    [Fact]
    public async Task When_the_invocation_runs_in_another_trace_the_span_joins_the_producer_s_and_links_the_invocation()
    {
        var producer = new ActivityContext(ActivityTraceId.CreateRandom(), ActivitySpanId.CreateRandom(), ActivityTraceFlags.Recorded);
        var message = Message(Messages.Plain(eventId: "evt-linked"), new() { ["Diagnostic-Id"] = $"00-{producer.TraceId}-{producer.SpanId}-01" });
        using var spans = new SpanCollector(producer.TraceId);
        using var invocation = new Activity("Invoke").SetIdFormat(ActivityIdFormat.W3C).Start(); // the worker's span, a trace of its own

        await RunAsync(message);
        invocation.Stop();

        var span = Assert.Single(spans.From(RoleSyncTelemetry.Name));
        Assert.Equal(producer.SpanId, span.ParentSpanId);
        Assert.Equal(invocation.Context, Assert.Single(span.Links).Context);
    }

    [Fact]
    public async Task When_the_invocation_already_continues_the_producer_s_trace_the_span_is_its_child()
    {
        var producer = new ActivityContext(ActivityTraceId.CreateRandom(), ActivitySpanId.CreateRandom(), ActivityTraceFlags.Recorded);
        var message = Message(Messages.Plain(eventId: "evt-child"), new() { ["Diagnostic-Id"] = $"00-{producer.TraceId}-{producer.SpanId}-01" });
        using var spans = new SpanCollector(producer.TraceId);
        using var invocation = new Activity("Invoke").SetParentId(producer.TraceId, producer.SpanId, ActivityTraceFlags.Recorded).Start();

        await RunAsync(message);
        invocation.Stop();

        var span = Assert.Single(spans.From(RoleSyncTelemetry.Name));
        Assert.Equal(invocation.SpanId, span.ParentSpanId);
        Assert.Empty(span.Links);
    }

    [Fact]
    public async Task A_poison_message_is_dead_lettered_and_Clerk_is_untouched()
    {
        var message = Message("""{"eventId":"evt-poison","role":"admin"}""");

        await RunAsync(message);

        _actions.Verify(a => a.DeadLetterMessageAsync(
            message,
            It.Is<Dictionary<string, object>?>(p => p != null && (int)p[MessageProperties.Attempt] == 1),
            Reasons.InvalidMessage,
            It.Is<string?>(d => d != null && d.Contains("role")),
            It.IsAny<CancellationToken>()), Times.Once);
        _actions.VerifyNoOtherCalls();
        _sender.VerifyNoOtherCalls();
        Assert.Equal(0, _clerk.RequestCount);
        var line = Assert.Single(Logs.GetSnapshot(), r => r.Id.Id == 1000);
        Assert.Equal("DeadLettered", line.GetStructuredStateValue("Settlement"));
        Assert.Equal(Reasons.InvalidMessage, line.GetStructuredStateValue("Reason"));
    }

    [Fact]
    public async Task A_change_Clerk_rejects_is_dead_lettered_with_Clerk_s_trace_id_on_the_span()
    {
        var producer = new ActivityContext(ActivityTraceId.CreateRandom(), ActivitySpanId.CreateRandom(), ActivityTraceFlags.Recorded);
        var message = Message(Messages.Plain(eventId: "evt-ghost-role", role: "org:ghost"), new()
        {
            ["Diagnostic-Id"] = $"00-{producer.TraceId}-{producer.SpanId}-01",
        });
        using var spans = new SpanCollector(producer.TraceId);

        await RunAsync(message);

        _actions.Verify(a => a.DeadLetterMessageAsync(message, It.IsAny<Dictionary<string, object>?>(), Reasons.RoleNotFound,
            It.IsAny<string?>(), It.IsAny<CancellationToken>()), Times.Once);
        _actions.VerifyNoOtherCalls();
        Assert.Equal("org:member", _clerk.GetRole(RoleSyncHarness.OrgId, RoleSyncHarness.MemberId));
        var span = Assert.Single(spans.From(RoleSyncTelemetry.Name));
        Assert.Matches("^[0-9a-f]{32}$", Assert.IsType<string>(span.GetTagItem("clerk.trace_id")));
        Assert.Equal(ActivityStatusCode.Error, span.Status);
    }

    [Fact]
    public async Task A_Clerk_outage_schedules_a_delayed_retry_then_completes_and_leaves_the_role_alone()
    {
        _clerk.FailNext(100, 503);
        var message = Message(Messages.Plain(eventId: "evt-outage", role: "org:billing"));
        using var retries = new MetricCollector<long>(MeterFactory, RoleSyncTelemetry.Name, "rolesync.retries.scheduled");
        var calls = new ConcurrentQueue<string>();
        ServiceBusMessage? copy = null;
        DateTimeOffset enqueueAt = default;
        _sender.Setup(s => s.ScheduleMessageAsync(It.IsAny<ServiceBusMessage>(), It.IsAny<DateTimeOffset>(), It.IsAny<CancellationToken>()))
            .Callback((ServiceBusMessage m, DateTimeOffset at, CancellationToken _) => { copy = m; enqueueAt = at; calls.Enqueue("schedule"); })
            .ReturnsAsync(7L);
        _actions.Setup(a => a.CompleteMessageAsync(message, It.IsAny<CancellationToken>()))
            .Callback(() => calls.Enqueue("complete")).Returns(Task.CompletedTask);
        var before = DateTimeOffset.UtcNow;

        await RunAsync(message);

        Assert.Equal(["schedule", "complete"], calls);
        Assert.NotNull(copy);
        Assert.Equal("msg-evt-outage~s11~r2", copy.MessageId);
        Assert.Equal(2, copy.ApplicationProperties[MessageProperties.Attempt]);
        Assert.InRange(enqueueAt, before.AddSeconds(30), DateTimeOffset.UtcNow.AddSeconds(30));
        Assert.Equal("org:member", _clerk.GetRole(RoleSyncHarness.OrgId, RoleSyncHarness.MemberId));
        var retry = Assert.Single(retries.GetMeasurementSnapshot());
        Assert.Equal(Reasons.ClerkUnavailable, retry.Tags[RoleSyncTelemetry.ReasonTag]);
    }

    [Fact]
    public async Task A_Clerk_429_with_a_long_Retry_After_schedules_the_retry_that_far_ahead()
    {
        _clerk.RateLimitNext(1, TimeSpan.FromMinutes(3));
        var message = Message(Messages.Plain(eventId: "evt-throttled", role: "org:billing"));
        DateTimeOffset enqueueAt = default;
        _sender.Setup(s => s.ScheduleMessageAsync(It.IsAny<ServiceBusMessage>(), It.IsAny<DateTimeOffset>(), It.IsAny<CancellationToken>()))
            .Callback((ServiceBusMessage _, DateTimeOffset at, CancellationToken _) => enqueueAt = at)
            .ReturnsAsync(8L);
        var before = DateTimeOffset.UtcNow;

        await RunAsync(message);

        Assert.InRange(enqueueAt, before.AddMinutes(3), DateTimeOffset.UtcNow.AddMinutes(3));
        _actions.Verify(a => a.CompleteMessageAsync(message, It.IsAny<CancellationToken>()), Times.Once);
        Assert.Equal(1, _clerk.PatchCount); // Clerk asked for more than the in-process budget: no retry in process
    }

    [Fact]
    public async Task The_reconcile_timer_repairs_a_role_changed_behind_RoleSync_s_back_with_one_summary_line()
    {
        await RunAsync(Message(Messages.Plain(eventId: "evt-desired", role: "org:admin")));
        _clerk.AddMember(RoleSyncHarness.OrgId, RoleSyncHarness.MemberId, "org:billing"); // changed in the Clerk Dashboard
        using var repaired = new MetricCollector<long>(MeterFactory, RoleSyncTelemetry.Name, "rolesync.reconcile.repaired");
        using var checkedCount = new MetricCollector<long>(MeterFactory, RoleSyncTelemetry.Name, "rolesync.reconcile.checked");

        await ActivatorUtilities.CreateInstance<ReconcileFunction>(_host.Services).RunAsync(new TimerInfo(), CancellationToken.None);

        Assert.Equal("org:admin", _clerk.GetRole(RoleSyncHarness.OrgId, RoleSyncHarness.MemberId));
        var summary = Assert.Single(Logs.GetSnapshot(), r => r.Id.Name == "ReconcileCompleted");
        Assert.Equal(LogLevel.Information, summary.Level);
        Assert.Equal("Reconcile (Repair): 1 checked: 0 in sync, 1 repaired, 0 drift, 0 not a member, 0 managed by directory, 0 failed (past due: False)", summary.Message);
        Assert.Equal("1", summary.GetStructuredStateValue("Repaired"));
        Assert.Equal("0", summary.GetStructuredStateValue("Drift"));
        var repair = Assert.Single(Logs.GetSnapshot(), r => r.Id.Name == "ReconcileRepaired"); // the core's line per repair
        Assert.Equal("org:billing", repair.GetStructuredStateValue("ClerkRole"));
        Assert.Equal(1, Assert.Single(repaired.GetMeasurementSnapshot()).Value);
        Assert.Equal(1, checkedCount.GetMeasurementSnapshot().Sum(m => m.Value));
    }

    private IMeterFactory MeterFactory => _host.Services.GetRequiredService<IMeterFactory>();

    private FakeLogCollector Logs => _host.Services.GetRequiredService<FakeLogCollector>();

    private string AllLogText() => string.Join("\n", Logs.GetSnapshot().Select(r =>
        $"{r.Message} {string.Join(",", r.StructuredState?.Select(kv => $"{kv.Key}={kv.Value}") ?? [])} {r.Exception}"));

    private Task RunAsync(ServiceBusReceivedMessage message) =>
        ActivatorUtilities.CreateInstance<ProcessRoleChangeFunction>(_host.Services).RunAsync(message, _actions.Object, CancellationToken.None);

    private static ServiceBusReceivedMessage Message(string body, Dictionary<string, object>? properties = null)
    {
        var eventId = System.Text.RegularExpressions.Regex.Match(body, "\"eventId\":\"([^\"]+)\"").Groups[1].Value;
        return ServiceBusModelFactory.ServiceBusReceivedMessage(
            body: BinaryData.FromString(body),
            messageId: "msg-" + eventId,
            correlationId: "corr-1",
            contentType: "application/json",
            properties: properties ?? new Dictionary<string, object>(),
            deliveryCount: 1,
            sequenceNumber: 11,
            lockTokenGuid: Guid.NewGuid());
    }

    /// <summary>Collects the spans of one trace (so tests running in parallel do not see each other's).</summary>
    private sealed class SpanCollector : IDisposable
    {
        private readonly ActivityListener _listener;
        private readonly ConcurrentQueue<Activity> _spans = new();

        public SpanCollector(ActivityTraceId traceId)
        {
            _listener = new ActivityListener
            {
                ShouldListenTo = source => source.Name is RoleSyncTelemetry.Name or "System.Net.Http",
                Sample = (ref ActivityCreationOptions<ActivityContext> options) =>
                    options.Parent.TraceId == traceId ? ActivitySamplingResult.AllDataAndRecorded : ActivitySamplingResult.None,
                ActivityStopped = activity =>
                {
                    if (activity.TraceId == traceId)
                    {
                        _spans.Enqueue(activity);
                    }
                },
            };
            ActivitySource.AddActivityListener(_listener);
        }

        public IEnumerable<Activity> From(string source) => _spans.Where(s => s.Source.Name == source);

        public void Dispose() => _listener.Dispose();
    }
}
