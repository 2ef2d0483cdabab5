using RoleSync.History;
using static RoleSync.Functions.Tests.OperatorApi.OperatorApiHttp;

namespace RoleSync.Functions.Tests.OperatorApi;

/// <summary>
/// An operator's submission survives Clerk failing: <c>POST /api/role-changes</c> queues it, the real message handler
/// processes it with Clerk answering 503, a signed retry copy carries it (entry point and principal kept), and the
/// retry applies it — the ledger never holds it as newest-but-unapplied without a message on its way.
/// </summary>
public sealed class SubmitIsDurableTests : IAsyncLifetime
{
    /// <summary>Runs a function on <paramref name="request"/> and executes its result as the ASP.NET Core integration does; then reads the response.</summary>
    private static async Task<(int Status, string ContentType, JsonNode Json)> Call<TResult>(HttpRequest request, Func<HttpRequest, Task<TResult>> function)
        where TResult : IResult => await Execute(request, await function(request));

    private readonly Mock<ServiceBusMessageActions> _actions = new();
    private readonly Mock<ServiceBusSender> _sender = new();
    private readonly List<ServiceBusMessage> _copies = [];
    private readonly FakeRoleChangeQueue _queue = new();
    private readonly InMemoryMembershipLedger _ledger = new();
    private readonly InMemoryMembershipHistory _history = new();
    private ClerkSandbox.ClerkSandbox _clerk = null!;
    private IHost _host = null!;

    public async Task InitializeAsync()
    {
        _clerk = await StartSandboxAsync();
        var settings = TestHost.LocalSettings(_clerk.BaseUrl.ToString());
        settings["Clerk:MaxRetryAttempts"] = "0";
        _host = TestHost.Build(settings, Environments.Development, services =>
        {
            services.AddSingleton(_sender.Object);
            services.AddSingleton<IMembershipLedger>(_ledger);
            services.AddSingleton<IMembershipHistory>(_history);
            services.AddSingleton<IRoleChangeQueue>(_queue);
        });
        _sender.Setup(s => s.ScheduleMessageAsync(It.IsAny<ServiceBusMessage>(), It.IsAny<DateTimeOffset>(), It.IsAny<CancellationToken>()))
            .Callback((ServiceBusMessage m, DateTimeOffset _, CancellationToken _) => _copies.Add(m)).ReturnsAsync(40L);
        _actions.Setup(a => a.CompleteMessageAsync(It.IsAny<ServiceBusReceivedMessage>(), It.IsAny<CancellationToken>())).Returns(Task.CompletedTask);
    }

    public async Task DisposeAsync()
    {
        _host.Dispose();
        await _clerk.DisposeAsync();
    }

    [Fact]
    public async Task Submit_is_durable_a_Clerk_503_leaves_a_retry_copy_and_the_retry_applies_the_change()
    {
        var submit = ActivatorUtilities.CreateInstance<SubmitRoleChangeFunction>(_host.Services);
        var handler = _host.Services.GetRequiredService<RoleChangeMessageHandler>();
        var request = Request("POST", Plain("evt-op", role: "org:billing"));
        var (status, _, _) = await Call(request, r => submit.RunAsync(r, default));
        Assert.Equal(202, status);
        Assert.Empty(_clerk.Requests);

        _clerk.FailNext(1, 503);
        var first = TestSigning.Delivered(Assert.Single(_queue.Sent), sequenceNumber: 21);
        await handler.HandleAsync(first, _actions.Object);

        var copy = Assert.Single(_copies);
        Assert.Equal((2, "operator", OperatorRequest.Caller(request)),
            (copy.ApplicationProperties[MessageProperties.Attempt], copy.ApplicationProperties[MessageProperties.EntryPoint], copy.ApplicationProperties[MessageProperties.Principal]));
        _actions.Verify(a => a.CompleteMessageAsync(first, It.IsAny<CancellationToken>()), Times.Once); // completed only with its copy scheduled
        var pending = (await _ledger.GetAsync(OrgId, MemberId))!;
        Assert.Equal(("evt-op", false), (pending.NewestEventId, pending.NewestApplied)); // newest but unapplied: its copy is on the queue
        Assert.Equal("org:member", _clerk.GetRole(OrgId, MemberId));

        await handler.HandleAsync(TestSigning.Delivered(copy, sequenceNumber: 22), _actions.Object);

        Assert.Equal("org:billing", _clerk.GetRole(OrgId, MemberId));
        Assert.True((await _ledger.GetAsync(OrgId, MemberId))!.NewestApplied);
        Assert.Single(_copies); // no further retry
        var history = (await _history.ListAsync(OrgId, MemberId, 50)).Entries;
        Assert.Equal([(HistoryOutcome.Applied, 2), (HistoryOutcome.Retried, 1)], history.Select(e => (e.Outcome, e.Attempt)).Order());
        Assert.All(history, e => Assert.Equal((EntryPoint.Operator, OperatorRequest.Caller(request)), (e.EntryPoint, e.Principal)));
        Assert.Equal(Reasons.ClerkUnavailable, history.Single(e => e.Outcome == HistoryOutcome.Retried).Reason);
    }
}
