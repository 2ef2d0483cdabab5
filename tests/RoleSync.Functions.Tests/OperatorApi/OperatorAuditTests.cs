using Microsoft.AspNetCore.Http.HttpResults;
using RoleSync.Audit;
using static RoleSync.Functions.Tests.OperatorApi.OperatorApiHttp;

namespace RoleSync.Functions.Tests.OperatorApi;

/// <summary>The audit of state-changing calls, as the middleware runs it (<see cref="OperatorGate"/>), and <c>GET /api/audit</c>.</summary>
public sealed class OperatorAuditTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 22, 30, 0, TimeSpan.Zero);

    private static HttpRequest OperatorRequest(string method, string? body, string path = "/api/dead-letters/replay", string query = "") =>
        Request(method, body, query, new() { [OperatorAuthorizer.PrincipalHeader] = TestPrincipals.Header("Alice", roles: [OperatorRoles.Operator]) }, path);

    private static Task<object?> Run(OperatorGate gate, HttpRequest request, string role, Func<Task<object?>> function) =>
        gate.RunAsync(request.HttpContext, "ReplayDeadLetters", role, function, default);

    [Fact]
    public async Task A_state_changing_call_is_recorded_before_it_runs_and_completed_with_its_result()
    {
        var audit = new InMemoryOperatorAuditLog();
        var time = new FakeTimeProvider(Now);
        var queue = new FakeDeadLetterQueue();
        var seq = queue.Add(Plain("evt-1"), "MembershipNotFound", messageId: "evt-1");
        var function = new ReplayDeadLettersFunction(OperatorApiTests.Idempotent(new DeadLetterReplayer(queue, new InMemoryMembershipLedger(), TestSigning.Signer(), TimeProvider.System, new FakeLogger<DeadLetterReplayer>())));
        var body = $"{{\"sequenceNumbers\":[{seq}]}}";
        var request = OperatorRequest("POST", body, query: "?trace=1");
        OperatorAuditRecord? before = null;

        var answer = await Run(TestPrincipals.Gate(audit, time), request, OperatorRoles.Operator, async () =>
        {
            before = Assert.Single(audit.Records);
            time.Advance(TimeSpan.FromSeconds(2));
            return await function.RunAsync(request, default);
        });
        var (status, _, json) = await Execute(request, answer);

        Assert.Equal(200, status);
        Assert.Equal(1, json["replayed"]!.GetValue<int>()); // the function read the whole body after the audit did
        Assert.Equal(OperatorAuditStatus.Started, before!.Status);
        Assert.Null(before.StatusCode);
        var record = Assert.Single(audit.Records);
        Assert.Equal(record.Id, request.HttpContext.Response.Headers[OperatorAuditor.AuditIdHeader].ToString());
        Assert.Equal((TestPrincipals.AliceOid, "Alice", "ReplayDeadLetters", "POST", "/api/dead-letters/replay?trace=1"),
            (record.PrincipalObjectId, record.PrincipalName, record.FunctionName, record.Method, record.Path));
        Assert.Equal((body, false), (record.Selection, record.SelectionTruncated));
        Assert.Equal((Now, Now.AddSeconds(2)), (record.StartedAt, record.CompletedAt));
        Assert.Equal((OperatorAuditStatus.Completed, 200), (record.Status, record.StatusCode));
        Assert.Equal(1, JsonNode.Parse(record.Result!)!["replayed"]!.GetValue<int>());
        Assert.StartsWith(Now.UtcTicks.ToString("D19", System.Globalization.CultureInfo.InvariantCulture) + "-", record.Id);
    }

    [Fact]
    public async Task A_refused_request_is_recorded_with_its_problem()
    {
        var audit = new InMemoryOperatorAuditLog();
        var function = new ReplayDeadLettersFunction(OperatorApiTests.Idempotent(new DeadLetterReplayer(new FakeDeadLetterQueue(), new InMemoryMembershipLedger(), TestSigning.Signer(), TimeProvider.System, new FakeLogger<DeadLetterReplayer>())));
        var request = OperatorRequest("POST", "{\"colour\":\"red\"}");

        await Run(TestPrincipals.Gate(audit, TimeProvider.System), request, OperatorRoles.Operator, async () => await function.RunAsync(request, default));

        var record = Assert.Single(audit.Records);
        Assert.Equal((OperatorAuditStatus.Completed, 400), (record.Status, record.StatusCode));
        Assert.Contains("colour", JsonNode.Parse(record.Result!)!["detail"]!.GetValue<string>());
    }

    [Fact]
    public async Task Large_bodies_are_recorded_capped_and_the_function_still_reads_them_whole()
    {
        var audit = new InMemoryOperatorAuditLog();
        var body = "{\"reason\":\"" + new string('é', 20_000) + "\"}";
        var request = OperatorRequest("POST", body);

        var answer = await Run(TestPrincipals.Gate(audit, TimeProvider.System), request, OperatorRoles.Operator, async () =>
        {
            var (read, _) = await RoleSync.Functions.OperatorApi.OperatorRequest.ReadBodyAsync(request, default);
            return TypedResults.Ok(read!.Length);
        });

        Assert.Equal(Encoding.UTF8.GetByteCount(body), Assert.IsType<Ok<int>>(answer).Value);
        var record = Assert.Single(audit.Records);
        Assert.True(record.SelectionTruncated);
        Assert.True(Encoding.UTF8.GetByteCount(record.Selection!) <= OperatorAuditRecord.MaxTextBytes + 3);
        Assert.StartsWith("{\"reason\":\"ééé", record.Selection);
    }

    [Fact]
    public async Task When_the_audit_cannot_be_written_the_call_is_refused_and_does_not_run()
    {
        var audit = new Mock<IOperatorAuditLog>();
        audit.Setup(a => a.WriteAsync(It.IsAny<OperatorAuditRecord>(), It.IsAny<CancellationToken>())).ThrowsAsync(new IOException("table down"));
        var log = new FakeLogger<OperatorAuditor>();
        var request = OperatorRequest("POST", "{}");
        var ran = false;

        var answer = await Run(TestPrincipals.Gate(audit.Object, TimeProvider.System, log: log), request, OperatorRoles.Operator, () =>
        {
            ran = true;
            return Task.FromResult<object?>(TypedResults.Ok());
        });
        var (status, _, json) = await Execute(request, answer);

        Assert.False(ran);
        Assert.Equal(503, status);
        Assert.Contains("not carried out", json["detail"]!.GetValue<string>());
        Assert.Equal(LogLevel.Error, Assert.Single(log.Collector.GetSnapshot()).Level);
    }

    [Fact]
    public async Task When_the_result_cannot_be_written_the_answer_goes_out_and_the_started_record_stays()
    {
        var audit = new Mock<IOperatorAuditLog>();
        audit.SetupSequence(a => a.WriteAsync(It.IsAny<OperatorAuditRecord>(), It.IsAny<CancellationToken>()))
            .Returns(Task.CompletedTask)
            .ThrowsAsync(new IOException("table down"));
        var log = new FakeLogger<OperatorAuditor>();
        var request = OperatorRequest("POST", "{}");

        var answer = await Run(TestPrincipals.Gate(audit.Object, TimeProvider.System, log: log), request, OperatorRoles.Operator, () => Task.FromResult<object?>(TypedResults.Ok("done")));

        Assert.Equal("done", Assert.IsType<Ok<string>>(answer).Value);
        var started = Assert.IsType<OperatorAuditRecord>(audit.Invocations[0].Arguments[0]);
        Assert.Equal(OperatorAuditStatus.Started, started.Status);
        Assert.Equal(OperatorAuditStatus.Completed, Assert.IsType<OperatorAuditRecord>(audit.Invocations[1].Arguments[0]).Status);
        var error = Assert.Single(log.Collector.GetSnapshot());
        Assert.Equal(LogLevel.Error, error.Level);
        Assert.Contains(started.Id, error.Message);
    }

    [Fact]
    public async Task A_call_that_throws_is_recorded_as_failed()
    {
        var audit = new InMemoryOperatorAuditLog();
        var request = OperatorRequest("POST", "{}");

        await Assert.ThrowsAsync<InvalidOperationException>(() => Run(TestPrincipals.Gate(audit, TimeProvider.System), request, OperatorRoles.Operator,
            () => throw new InvalidOperationException("boom")));

        var record = Assert.Single(audit.Records);
        Assert.Equal(OperatorAuditStatus.Failed, record.Status);
        Assert.Equal("InvalidOperationException: boom", record.Result);
    }

    [Fact]
    public async Task Reads_are_not_audited_and_see_the_principal()
    {
        var audit = new InMemoryOperatorAuditLog();
        var request = OperatorRequest("GET", null, "/api/dead-letters");

        var answer = await Run(TestPrincipals.Gate(audit, TimeProvider.System), request, OperatorRoles.Reader,
            () => Task.FromResult<object?>(TypedResults.Ok(RoleSync.Functions.OperatorApi.OperatorRequest.Caller(request))));

        Assert.Equal($"Alice ({TestPrincipals.AliceOid})", Assert.IsType<Ok<string>>(answer).Value);
        Assert.Empty(audit.Records);
    }

    // ---- GET /api/audit

    [Fact]
    public async Task The_audit_is_listed_oldest_first_in_its_window_and_paged()
    {
        var audit = new InMemoryOperatorAuditLog();
        foreach (var minutes in new[] { -90, -30, -20, -10, 5 })
        {
            var at = Now.AddMinutes(minutes);
            await audit.WriteAsync(new OperatorAuditRecord(OperatorAuditRecord.NewId(at), at, "o", "n", "F", "POST", "/api/x", null, false, OperatorAuditStatus.Completed));
        }
        var function = new ListAuditFunction(audit, new FakeTimeProvider(Now));

        var from = RoleSync.Contract.Rfc3339.FormatUtcSeconds(Now.AddHours(-1));
        var first = Request("GET", query: $"?limit=2&from={from}");
        var (status, _, page1) = await Execute(first, await function.RunAsync(first, default));
        var next = Request("GET", query: $"?limit=2&from={from}&continuationToken={page1["continuationToken"]!.GetValue<string>()}");
        var (_, _, page2) = await Execute(next, await function.RunAsync(next, default));

        Assert.Equal(200, status);
        Assert.Equal([Now.AddMinutes(-30), Now.AddMinutes(-20)], page1["items"]!.AsArray().Select(i => i!["startedAt"]!.GetValue<DateTimeOffset>()));
        Assert.Equal([Now.AddMinutes(-10)], page2["items"]!.AsArray().Select(i => i!["startedAt"]!.GetValue<DateTimeOffset>()));
        Assert.Null(page2["continuationToken"]);
    }

    [Theory]
    [InlineData("?from=yesterday", "from:")]
    [InlineData("?to=2026-12-01T00:00:00", "to:")]
    [InlineData("?from=2026-12-02T00:00:00Z&to=2026-12-01T00:00:00Z", "from: must not be later than to")]
    [InlineData("?limit=0", "limit:")]
    [InlineData("?limit=1001", "limit:")]
    [InlineData("?continuationToken=abc", "continuationToken:")]
    [InlineData("?colour=red", "colour: unknown query parameter")]
    public async Task The_audit_listing_validates_its_query(string query, string error)
    {
        var function = new ListAuditFunction(new InMemoryOperatorAuditLog(), new FakeTimeProvider(Now));
        var request = Request("GET", query: query);

        var (status, type, json) = await Execute(request, await function.RunAsync(request, default));

        Assert.Equal(400, status);
        Assert.StartsWith("application/problem+json", type);
        Assert.Contains(json["errors"]!.AsArray(), e => e!.GetValue<string>().StartsWith(error, StringComparison.Ordinal));
    }
}
