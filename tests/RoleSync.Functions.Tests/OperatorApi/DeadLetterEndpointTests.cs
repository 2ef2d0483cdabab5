using static RoleSync.Functions.Tests.OperatorApi.OperatorApiHttp;
using static RoleSync.Functions.Tests.OperatorApi.OperatorApiTests;

namespace RoleSync.Functions.Tests.OperatorApi;

/// <summary>The dead-letter endpoints of issue 14: groups, snapshot replay, edit-and-retry; their roles and routes.</summary>
public sealed class DeadLetterEndpointTests
{
    private readonly FakeDeadLetterQueue _queue = new();
    private readonly InMemoryOperatorRequestStore _store = new();

    private static async Task<(int Status, string ContentType, JsonNode Json)> Call<TResult>(HttpRequest request, Func<HttpRequest, Task<TResult>> function)
        where TResult : IResult => await Execute(request, await function(request));

    private ReplayDeadLettersFunction ReplayFunction() =>
        new(new IdempotentReplayer(Replayer(_queue), _store, TimeProvider.System, new FakeLogger<IdempotentReplayer>()));

    private EditAndRetryFunction EditFunction() =>
        new(new DeadLetterEditor(_queue, _store, TestSigning.Signer(), TimeProvider.System, new FakeLogger<DeadLetterEditor>()));

    [Fact]
    public async Task Groups_count_by_reason_and_organization()
    {
        _queue.Add(Plain("evt-1"), "MembershipNotFound");
        _queue.Add(Plain("evt-2", organizationId: "org_other"), "MembershipNotFound");
        var last = _queue.Add(Plain("evt-3"), "MembershipNotFound");
        var function = new DeadLetterGroupsFunction(new DeadLetterGrouper(_queue, TimeProvider.System));

        var (status, type, json) = await Call(Request("GET"), r => function.RunAsync(r, default));

        Assert.Equal((200, "application/json; charset=utf-8"), (status, type));
        Assert.Equal((3, false), (json["scanned"]!.GetValue<int>(), json["truncated"]!.GetValue<bool>()));
        var group = Assert.Single(json["groups"]!.AsArray())!;
        Assert.Equal(("MembershipNotFound", 3, last), (group["reason"]!.GetValue<string>(), group["count"]!.GetValue<int>(), group["maxSequenceNumber"]!.GetValue<long>()));
        Assert.Equal(FakeDeadLetterQueue.EnqueuedAt.AddSeconds(1), group["oldestEnqueuedTime"]!.GetValue<DateTimeOffset>());
        Assert.Equal([(OrgId, 2), ("org_other", 1)], group["organizations"]!.AsArray().Select(o => (o!["organizationId"]!.GetValue<string>(), o["count"]!.GetValue<int>())));
    }

    [Fact]
    public async Task Groups_refuse_query_parameters()
    {
        var function = new DeadLetterGroupsFunction(new DeadLetterGrouper(_queue, TimeProvider.System));

        var (status, _, _) = await Call(Request("GET", query: "?reason=X"), r => function.RunAsync(r, default));

        Assert.Equal(400, status);
    }

    [Fact]
    public async Task A_snapshot_replay_sent_twice_sends_once()
    {
        var seq = _queue.Add(Plain("evt-1"), "MembershipNotFound", messageId: "evt-1");
        _queue.Add(Plain("evt-late"), "MembershipNotFound", messageId: "evt-late");
        var body = $$"""{"requestId":"req-7","reason":"MembershipNotFound","organizationId":"{{OrgId}}","maxSequenceNumber":{{seq}}}""";

        var (status, _, first) = await Call(Request("POST", body), r => ReplayFunction().RunAsync(r, default));
        var (_, _, again) = await Call(Request("POST", body), r => ReplayFunction().RunAsync(r, default));

        Assert.Equal(200, status);
        Assert.Equal(("req-7", 1), (first["requestId"]!.GetValue<string>(), first["replayed"]!.GetValue<int>()));
        Assert.Equal((0, 1), (again["replayed"]!.GetValue<int>(), again["alreadyReplayed"]!.GetValue<int>()));
        Assert.Equal("already-replayed", again["items"]![0]!["status"]!.GetValue<string>());
        Assert.Equal($"evt-1~replay{seq}", Assert.Single(_queue.Sent).MessageId);
        Assert.Equal([seq + 1], _queue.Remaining); // the late arrival is untouched
    }

    [Fact]
    public async Task The_same_request_id_with_another_body_is_a_409_problem()
    {
        _queue.Add(Plain("evt-1"), "MembershipNotFound", messageId: "evt-1");
        _queue.Add(Plain("evt-2"), "RoleNotFound", messageId: "evt-2");
        await Call(Request("POST", """{"requestId":"req-7","reason":"MembershipNotFound","maxSequenceNumber":1}"""), r => ReplayFunction().RunAsync(r, default));

        var (status, type, json) = await Call(Request("POST", """{"requestId":"req-7","reason":"RoleNotFound","maxSequenceNumber":2}"""), r => ReplayFunction().RunAsync(r, default));

        Assert.Equal((409, "application/problem+json; charset=utf-8"), (status, type));
        Assert.Equal("req-7", json["requestId"]!.GetValue<string>());
        Assert.Contains("reason=MembershipNotFound", json["detail"]!.GetValue<string>());
        Assert.Single(_queue.Sent);
    }

    [Fact]
    public async Task A_lost_lock_answers_retry_later()
    {
        var seq = _queue.Add(Plain("evt-1"), "MembershipNotFound", messageId: "evt-1");
        _queue.FailResend = _ => new ServiceBusException("lock lost", ServiceBusFailureReason.MessageLockLost);

        var (status, _, json) = await Call(Request("POST", $$"""{"sequenceNumbers":[{{seq}}]}"""), r => ReplayFunction().RunAsync(r, default));

        Assert.Equal(200, status);
        Assert.Equal("retry-later", json["items"]![0]!["status"]!.GetValue<string>());
        Assert.Equal((1, 0), (json["retryLater"]!.GetValue<int>(), json["notFound"]!.GetValue<int>()));
    }

    [Theory]
    [InlineData("""{"reason":"X","max":10}""", "snapshot")]
    [InlineData("""{"requestId":"r","reason":"X"}""", "maxSequenceNumber")]
    [InlineData("""{"reason":"X","maxSequenceNumber":5}""", "requestId")]
    [InlineData("""{"requestId":"a b","reason":"X","maxSequenceNumber":5}""", "requestId: must be")]
    [InlineData("""{"requestId":"r","reason":"X","maxSequenceNumber":-1}""", "maxSequenceNumber: must be 0 or more")]
    [InlineData("""{"sequenceNumbers":[1],"maxSequenceNumber":5}""", "only go with reason")]
    public async Task A_replay_by_reason_must_be_a_snapshot_with_a_request_id(string body, string mention)
    {
        _queue.Add(Plain("evt-1"), "X");

        var (status, _, json) = await Call(Request("POST", body), r => ReplayFunction().RunAsync(r, default));

        Assert.Equal(400, status);
        Assert.Contains(mention, json["detail"]!.GetValue<string>());
        Assert.Empty(_queue.Sent);
    }

    [Fact]
    public async Task Edit_and_retry_sends_the_corrected_copy_once_a_second_edit_is_409()
    {
        var seq = _queue.Add(Plain("evt-1", role: "org:ghost"), "RoleNotFound", messageId: "evt-1");
        var request = Request("POST", Plain("evt-1", role: "org:billing"));
        var caller = OperatorRequest.Caller(request); // whoever the request says signed in

        var (status, _, json) = await Call(request, r => EditFunction().RunAsync(r, $"{seq}", default));
        var (again, type, problem) = await Call(Request("POST", Plain("evt-1", role: "org:billing")), r => EditFunction().RunAsync(r, $"{seq}", default));

        Assert.Equal(200, status);
        Assert.Equal(("retried", "evt-1", "evt-1~edit1", "send-then-complete"),
            (json["status"]!.GetValue<string>(), json["originalEventId"]!.GetValue<string>(), json["eventId"]!.GetValue<string>(), json["mode"]!.GetValue<string>()));
        Assert.Equal((409, "application/problem+json; charset=utf-8"), (again, type));
        Assert.Contains($"by {caller} at", problem["detail"]!.GetValue<string>());
        var copy = Assert.Single(_queue.Sent);
        Assert.Equal(caller, copy.ApplicationProperties[MessageProperties.Principal]);
    }

    [Fact]
    public async Task An_invalid_edit_is_a_422_listing_every_violation_and_sends_nothing()
    {
        var seq = _queue.Add(Plain("evt-1", role: "org:ghost"), "RoleNotFound", messageId: "evt-1");

        var (status, _, json) = await Call(Request("POST", """{"eventId":"evt-9","role":"admin"}"""), r => EditFunction().RunAsync(r, $"{seq}", default));

        Assert.Equal(422, status);
        var errors = json["errors"]!.AsArray().Select(e => e!.GetValue<string>()).ToList();
        Assert.Contains(errors, e => e.StartsWith("occurredAt: is required", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("organizationId: is required", StringComparison.Ordinal));
        Assert.Empty(_queue.Sent);
        Assert.Equal([seq], _queue.Remaining);
    }

    [Fact]
    public async Task A_changed_event_id_is_a_422()
    {
        var seq = _queue.Add(Plain("evt-1", role: "org:ghost"), "RoleNotFound", messageId: "evt-1");

        var (status, _, json) = await Call(Request("POST", Plain("evt-2", role: "org:billing")), r => EditFunction().RunAsync(r, $"{seq}", default));

        Assert.Equal(422, status);
        Assert.StartsWith("eventId: must stay \"evt-1\"", json["errors"]![0]!.GetValue<string>());
        Assert.Empty(_queue.Sent);
    }

    [Fact]
    public async Task A_failed_send_is_a_502_and_keeps_the_dead_letter()
    {
        var seq = _queue.Add(Plain("evt-1", role: "org:ghost"), "RoleNotFound", messageId: "evt-1");
        _queue.FailResend = _ => new ServiceBusException("send failed", ServiceBusFailureReason.ServiceTimeout);

        var (status, _, _) = await Call(Request("POST", Plain("evt-1", role: "org:billing")), r => EditFunction().RunAsync(r, $"{seq}", default));

        Assert.Equal(502, status);
        Assert.Equal([seq], _queue.Remaining);
        Assert.Empty(_queue.Locked);
    }

    [Fact]
    public async Task A_dead_letter_locked_elsewhere_is_a_503_with_retry_after()
    {
        var seq = _queue.Add(Plain("evt-1", role: "org:ghost"), "RoleNotFound", messageId: "evt-1");
        _queue.LockElsewhere(seq);
        var request = Request("POST", Plain("evt-1", role: "org:billing"));

        var (status, _, _) = await Call(request, r => EditFunction().RunAsync(r, $"{seq}", default));

        Assert.Equal(503, status);
        Assert.Equal("30", request.HttpContext.Response.Headers.RetryAfter.ToString());
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("-1")]
    [InlineData("1.5")]
    public async Task A_sequence_number_that_is_not_a_whole_number_is_a_400(string sequenceNumber)
    {
        var (status, _, json) = await Call(Request("POST", Plain("evt-1")), r => EditFunction().RunAsync(r, sequenceNumber, default));

        Assert.Equal(400, status);
        Assert.StartsWith("sequenceNumber:", json["detail"]!.GetValue<string>());
    }

    [Fact]
    public async Task Editing_an_unknown_dead_letter_is_a_404()
    {
        var (status, _, _) = await Call(Request("POST", Plain("evt-1")), r => EditFunction().RunAsync(r, "42", default));

        Assert.Equal(404, status);
    }

    [Theory]
    [InlineData(DeadLetterGroupsFunction.Name, "api/dead-letters/groups", "get", OperatorRoles.Reader)]
    [InlineData(ListDeadLettersFunction.Name, "api/dead-letters", "get", OperatorRoles.Reader)]
    [InlineData(ReplayDeadLettersFunction.Name, "api/dead-letters/replay", "post", OperatorRoles.Operator)]
    [InlineData(EditAndRetryFunction.Name, "api/dead-letters/{sequenceNumber}/edit-and-retry", "post", OperatorRoles.Operator)]
    public void Dead_letter_functions_are_anonymous_at_the_functions_level_and_name_their_role(string name, string route, string method, string role)
    {
        var metadata = JsonNode.Parse(File.ReadAllText(Path.Combine(TestPaths.FunctionsOutputDirectory, "functions.metadata")))!.AsArray();

        var function = Assert.Single(metadata, f => f!["name"]!.GetValue<string>() == name)!;
        var trigger = Assert.Single(function["bindings"]!.AsArray(), b => b!["type"]!.GetValue<string>() == "httpTrigger")!;
        Assert.Equal(("Anonymous", route), (trigger["authLevel"]!.GetValue<string>(), trigger["route"]!.GetValue<string>()));
        Assert.Equal([method], trigger["methods"]!.AsArray().Select(m => m!.GetValue<string>()));
        var entryPoint = function["entryPoint"]!.GetValue<string>();
        var type = typeof(ProcessRoleChangeFunction).Assembly.GetType(entryPoint[..entryPoint.LastIndexOf('.')])!;
        Assert.Equal(role, type.GetMethod(entryPoint[(entryPoint.LastIndexOf('.') + 1)..])!.GetCustomAttribute<RequiresRoleAttribute>()!.Role);
    }

    [Fact]
    public void The_request_store_is_a_table_in_the_ledger_s_account_named_by_its_setting()
    {
        var settings = new Dictionary<string, string?>(TestHost.LocalSettings("http://127.0.0.1:9")) { ["Replay:RequestTableName"] = "opsrequests", ["Reconcile:Schedule"] = "0 */15 * * * *" };
        using var host = TestHost.Build(settings, environment: "Development");

        host.Services.GetRequiredService<IStartupValidator>().Validate();
        Assert.IsType<TableOperatorRequestStore>(host.Services.GetRequiredService<IOperatorRequestStore>());
        Assert.Equal("opsrequests", host.Services.GetRequiredService<IOptions<ReplayOptions>>().Value.RequestTableName);
    }

    [Fact]
    public void A_bad_request_table_name_fails_at_start_naming_the_setting()
    {
        var settings = new Dictionary<string, string?>(TestHost.LocalSettings("http://127.0.0.1:9")) { ["Replay:RequestTableName"] = "no-dashes", ["Reconcile:Schedule"] = "0 */15 * * * *" };
        using var host = TestHost.Build(settings, environment: "Development");

        var error = Assert.ThrowsAny<OptionsValidationException>(() => host.Services.GetRequiredService<IStartupValidator>().Validate());
        Assert.Contains("Replay:RequestTableName must be 3-63 letters or digits, starting with a letter.", Assert.Single(error.Failures));
    }
}
