namespace RoleSync.Functions.Tests.OperatorApi;

/// <summary>The operator API through its function methods, with real ASP.NET Core request objects.</summary>
public sealed class OperatorApiTests
{
    /// <summary>What ASP.NET Core needs to execute the functions' results, registered as the app registers it.</summary>
    private static readonly IServiceProvider Services = new ServiceCollection().AddLogging().AddOperatorApiResults().BuildServiceProvider();

    private static HttpRequest Request(string method, string? body = null, string query = "", Dictionary<string, string>? headers = null)
    {
        var context = new DefaultHttpContext { RequestServices = Services };
        context.Response.Body = new MemoryStream();
        context.Request.Method = method;
        context.Request.QueryString = new QueryString(query);
        if (body is not null)
        {
            var bytes = Encoding.UTF8.GetBytes(body);
            context.Request.Body = new MemoryStream(bytes);
            context.Request.ContentLength = bytes.Length;
            context.Request.ContentType = "application/json";
        }
        foreach (var (k, v) in headers ?? [])
        {
            context.Request.Headers[k] = v;
        }
        return context.Request;
    }

    /// <summary>
    /// Runs a function on <paramref name="request"/> and executes its result against the request's context, as the
    /// ASP.NET Core integration does; then reads the response.
    /// </summary>
    private static async Task<(int Status, string ContentType, JsonNode Json)> Call<TResult>(HttpRequest request, Func<HttpRequest, Task<TResult>> function)
        where TResult : IResult
    {
        var result = await function(request);
        await result.ExecuteAsync(request.HttpContext);
        var response = request.HttpContext.Response;
        response.Body.Position = 0;
        return (response.StatusCode, response.ContentType!, JsonNode.Parse(response.Body)!);
    }

    // ---- POST /api/role-changes/apply

    [Fact]
    public async Task Apply_applies_and_answers_200_with_the_outcome()
    {
        await using var h = await StartAsync();
        var function = new ApplyRoleChangeFunction(h.Processor, TimeProvider.System);

        var (status, type, json) = await Call(Request("POST", Plain("evt-1", role: "org:billing")), r => function.RunAsync(r, default));
        var (_, _, again) = await Call(Request("POST", Plain("evt-1", role: "org:billing")), r => function.RunAsync(r, default));

        Assert.Equal((200, "application/json; charset=utf-8"), (status, type));
        Assert.Equal("applied", json["outcome"]!.GetValue<string>());
        Assert.Equal("evt-1", json["eventId"]!.GetValue<string>());
        Assert.Equal(MemberId, json["userId"]!.GetValue<string>());
        Assert.Equal("duplicate", again["outcome"]!.GetValue<string>());
        Assert.Equal("org:billing", h.Clerk.GetRole(OrgId, MemberId));
    }

    [Fact]
    public async Task Apply_of_an_older_change_answers_stale()
    {
        await using var h = await StartAsync();
        var function = new ApplyRoleChangeFunction(h.Processor, TimeProvider.System);
        await function.RunAsync(Request("POST", Plain("evt-2", BaseTime.AddHours(1), role: "org:billing")), default);

        var (status, _, json) = await Call(Request("POST", Plain("evt-1", BaseTime, role: "org:admin")), r => function.RunAsync(r, default));

        Assert.Equal(200, status);
        Assert.Equal("stale", json["outcome"]!.GetValue<string>());
        Assert.Equal("org:billing", h.Clerk.GetRole(OrgId, MemberId));
    }

    [Theory]
    [InlineData("org:admin", "would-apply")]
    [InlineData("org:member", "unchanged")]
    public async Task Apply_dry_run_answers_what_would_happen_without_a_patch(string role, string outcome)
    {
        await using var h = await StartAsync();
        var function = new ApplyRoleChangeFunction(h.Processor, TimeProvider.System);

        var (status, _, json) = await Call(Request("POST", Plain("evt-1", role: role), "?dryRun=true"), r => function.RunAsync(r, default));

        Assert.Equal(200, status);
        Assert.Equal(outcome, json["outcome"]!.GetValue<string>());
        Assert.Equal(0, h.Clerk.PatchCount);
    }

    [Fact]
    public async Task Apply_dry_run_answers_would_remove_and_not_found_for_contract_1_1_messages()
    {
        await using var h = await StartAsync();
        var function = new ApplyRoleChangeFunction(h.Processor, TimeProvider.System);

        var (_, _, remove) = await Call(Request("POST", Message("evt-1", userId: MemberId, role: null, action: "remove"), "?dryRun=true"), r => function.RunAsync(r, default));
        var (_, _, nobody) = await Call(Request("POST", Message("evt-2", externalId: "WD-404", role: "org:member"), "?dryRun=true"), r => function.RunAsync(r, default));

        Assert.Equal("would-remove", remove["outcome"]!.GetValue<string>());
        Assert.Equal(("not-found", "UserNotFound"), (nobody["outcome"]!.GetValue<string>(), nobody["reason"]!.GetValue<string>()));
        Assert.Equal("org:member", h.Clerk.GetRole(OrgId, MemberId));
        Assert.All(h.Clerk.Requests, r => Assert.Equal("GET", r.Method));
    }

    [Fact]
    public async Task Apply_rejection_is_a_422_problem_with_reason()
    {
        await using var h = await StartAsync();
        var function = new ApplyRoleChangeFunction(h.Processor, TimeProvider.System);

        var (status, type, json) = await Call(Request("POST", Plain("evt-1", userId: "user_nobody")), r => function.RunAsync(r, default));

        Assert.Equal(422, status);
        Assert.Equal("application/problem+json; charset=utf-8", type);
        Assert.Equal("MembershipNotFound", json["reason"]!.GetValue<string>());
        Assert.Equal(422, json["status"]!.GetValue<int>());
        Assert.Contains("user_nobody", json["detail"]!.GetValue<string>());
        Assert.False(string.IsNullOrEmpty(json["clerkTraceId"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Apply_of_an_invalid_message_is_a_422_listing_every_violation()
    {
        await using var h = await StartAsync();
        var function = new ApplyRoleChangeFunction(h.Processor, TimeProvider.System);

        var (status, _, json) = await Call(Request("POST", "{\"eventId\":\"e\",\"role\":\"admin\"}"), r => function.RunAsync(r, default));

        Assert.Equal(422, status);
        Assert.Equal("InvalidMessage", json["reason"]!.GetValue<string>());
        var detail = json["detail"]!.GetValue<string>();
        Assert.Contains("occurredAt: is required", detail);
        Assert.Contains("organizationId: is required", detail);
        Assert.Contains("org:admin", detail);
        Assert.Empty(h.Clerk.Requests);
    }

    [Fact]
    public async Task Apply_transient_is_a_503_with_retry_after()
    {
        await using var h = await StartAsync();
        h.Clerk.RateLimitNext(1, TimeSpan.FromSeconds(90));
        var function = new ApplyRoleChangeFunction(h.Processor, TimeProvider.System);
        var request = Request("POST", Plain("evt-1"));

        var (status, _, json) = await Call(request, r => function.RunAsync(r, default));

        Assert.Equal(503, status);
        Assert.Equal("90", request.HttpContext.Response.Headers.RetryAfter.ToString());
        Assert.Equal("ClerkRateLimited", json["reason"]!.GetValue<string>());
    }

    [Theory]
    [InlineData(null, "", 400)]
    [InlineData("{}", "?dryRun=maybe", 400)]
    public async Task Apply_refuses_bad_requests(string? body, string query, int expected)
    {
        await using var h = await StartAsync();
        var function = new ApplyRoleChangeFunction(h.Processor, TimeProvider.System);

        var (status, type, _) = await Call(Request("POST", body ?? "", query), r => function.RunAsync(r, default));

        Assert.Equal(expected, status);
        Assert.StartsWith("application/problem+json", type);
    }

    [Fact]
    public async Task Bodies_over_1_MiB_are_refused_before_parsing()
    {
        await using var h = await StartAsync();
        var function = new ApplyRoleChangeFunction(h.Processor, TimeProvider.System);
        var huge = "{\"eventId\":\"" + new string('x', OperatorRequest.MaxBodyBytes) + "\"}";
        var request = Request("POST", huge);
        request.ContentLength = null; // chunked: the limit must hold while reading too

        var (status, _, _) = await Call(request, r => function.RunAsync(r, default));

        Assert.Equal(413, status);
        Assert.Empty(h.Clerk.Requests);
    }

    // ---- GET /api/dead-letters

    [Fact]
    public async Task Dead_letters_are_listed_and_paged()
    {
        var queue = new FakeDeadLetterQueue();
        queue.Add(Plain("evt-1"), "MembershipNotFound");
        queue.Add(Plain("evt-2"), "RoleNotFound");
        queue.Add(Plain("evt-3"), "MembershipNotFound");
        var function = new ListDeadLettersFunction(Replayer(queue));

        var (status, _, page1) = await Call(Request("GET", query: "?reason=MembershipNotFound&limit=1"), r => function.RunAsync(r, default));
        var next = page1["nextSequenceNumber"]!.GetValue<long>();
        var (_, _, page2) = await Call(Request("GET", query: $"?reason=MembershipNotFound&limit=1&fromSequenceNumber={next}"), r => function.RunAsync(r, default));

        Assert.Equal(200, status);
        var item = Assert.Single(page1["items"]!.AsArray())!;
        Assert.Equal("evt-1", item["eventId"]!.GetValue<string>());
        Assert.Equal("MembershipNotFound", item["deadLetterReason"]!.GetValue<string>());
        Assert.Equal(OrgId, item["organizationId"]!.GetValue<string>());
        Assert.Equal(3, item["deliveryCount"]!.GetValue<int>());
        Assert.Equal("evt-3", page2["items"]![0]!["eventId"]!.GetValue<string>());
        Assert.Empty(queue.Locked);
    }

    [Theory]
    [InlineData("?limit=0", "limit")]
    [InlineData("?limit=501", "limit")]
    [InlineData("?limit=ten", "limit")]
    [InlineData("?organizationId=org_../x", "organizationId")]
    [InlineData("?fromSequenceNumber=-1", "fromSequenceNumber")]
    [InlineData("?color=blue", "color")]
    public async Task Dead_letter_listing_validates_its_query(string query, string field)
    {
        var function = new ListDeadLettersFunction(Replayer(new FakeDeadLetterQueue()));

        var (status, _, json) = await Call(Request("GET", query: query), r => function.RunAsync(r, default));

        Assert.Equal(400, status);
        Assert.StartsWith(field + ":", json["errors"]![0]!.GetValue<string>());
    }

    // ---- POST /api/dead-letters/replay

    [Fact]
    public async Task Replay_by_sequence_numbers_answers_per_message_and_audits_the_caller()
    {
        var queue = new FakeDeadLetterQueue();
        var seq = queue.Add(Plain("evt-1"), "MembershipNotFound", messageId: "evt-1");
        var log = new FakeLogger<DeadLetterReplayer>();
        var function = new ReplayDeadLettersFunction(new DeadLetterReplayer(queue, new InMemoryMembershipLedger(), TestSigning.Signer(), TimeProvider.System, log));

        var (status, _, json) = await Call(Request("POST", $"{{\"sequenceNumbers\":[{seq}]}}",
            headers: new() { [OperatorRequest.PrincipalHeader] = "alice@contoso.com" }), r => function.RunAsync(r, default));

        Assert.Equal(200, status);
        Assert.Equal(1, json["replayed"]!.GetValue<int>());
        Assert.Equal("send-then-complete", json["mode"]!.GetValue<string>());
        Assert.Equal("replayed", json["items"]![0]!["status"]!.GetValue<string>());
        Assert.Equal($"evt-1~replay{seq}", json["items"]![0]!["newMessageId"]!.GetValue<string>());
        Assert.Contains("alice@contoso.com", Assert.Single(log.Collector.GetSnapshot()).Message);
        Assert.Empty(queue.Remaining);
    }

    [Fact]
    public async Task Replay_dry_run_by_reason_changes_nothing()
    {
        var queue = new FakeDeadLetterQueue();
        queue.Add(Plain("evt-1"), "MembershipNotFound");
        var function = new ReplayDeadLettersFunction(Replayer(queue));

        var (status, _, json) = await Call(Request("POST", $"{{\"reason\":\"MembershipNotFound\",\"organizationId\":\"{OrgId}\",\"max\":10,\"dryRun\":true}}"), r => function.RunAsync(r, default));

        Assert.Equal(200, status);
        Assert.True(json["dryRun"]!.GetValue<bool>());
        Assert.Equal("would-replay", json["items"]![0]!["status"]!.GetValue<string>());
        Assert.Single(queue.Remaining);
        Assert.Empty(queue.Sent);
    }

    [Fact]
    public async Task Replay_flags_a_stale_change()
    {
        var queue = new FakeDeadLetterQueue();
        var ledger = new InMemoryMembershipLedger();
        await ledger.TryWriteAsync(MembershipRecord.NewestFrom(new Contract.RoleChange("evt-9", BaseTime.AddDays(1), OrgId, MemberId, "org:admin", null, null), BaseTime));
        var seq = queue.Add(Plain("evt-1", BaseTime), "MembershipNotFound");
        var function = new ReplayDeadLettersFunction(new DeadLetterReplayer(queue, ledger, TestSigning.Signer(), TimeProvider.System, new FakeLogger<DeadLetterReplayer>()));

        var (_, _, json) = await Call(Request("POST", $"{{\"sequenceNumbers\":[{seq}]}}"), r => function.RunAsync(r, default));

        Assert.True(json["items"]![0]!["stale"]!.GetValue<bool>());
    }

    [Theory]
    [InlineData("{\"sequenceNumbers\":[1],\"colour\":\"red\"}", "colour")]
    [InlineData("{\"sequenceNumbers\":[1],\"sequenceNumbers\":[2]}", "sequenceNumbers")]
    [InlineData("{\"sequenceNumbers\":[1],\"reason\":\"X\"}", "either")]
    [InlineData("{\"dryRun\":true}", "either")]
    [InlineData("{\"reason\":\"X\",\"max\":501}", "max")]
    [InlineData("{\"reason\":\"X\",\"max\":0}", "max")]
    [InlineData("{\"sequenceNumbers\":[]}", "sequenceNumbers")]
    [InlineData("{\"sequenceNumbers\":[3,3]}", "repeat")]
    [InlineData("{\"reason\":\"X\",\"organizationId\":\"acme\"}", "organizationId")]
    [InlineData("[1,2]", "")]
    [InlineData("not json", "")]
    public async Task Replay_refuses_invalid_requests_with_a_named_reason(string body, string mention)
    {
        var queue = new FakeDeadLetterQueue();
        queue.Add(Plain("evt-1"), "X");
        var function = new ReplayDeadLettersFunction(Replayer(queue));

        var (status, type, json) = await Call(Request("POST", body), r => function.RunAsync(r, default));

        Assert.Equal(400, status);
        Assert.StartsWith("application/problem+json", type);
        Assert.Contains(mention, json["detail"]!.GetValue<string>());
        Assert.Single(queue.Remaining);
    }

    [Fact]
    public async Task Replay_of_more_than_500_sequence_numbers_is_refused()
    {
        var function = new ReplayDeadLettersFunction(Replayer(new FakeDeadLetterQueue()));
        var numbers = string.Join(',', Enumerable.Range(1, 501));

        var (status, _, json) = await Call(Request("POST", $"{{\"sequenceNumbers\":[{numbers}]}}"), r => function.RunAsync(r, default));

        Assert.Equal(400, status);
        Assert.Contains("1-500", json["detail"]!.GetValue<string>());
    }

    // ---- GET /api/memberships/{organizationId}/{userId}

    [Fact]
    public async Task Membership_audit_view_shows_newest_applied_and_rejection()
    {
        await using var h = await StartAsync();
        await h.Processor.ProcessAsync(Bytes(Plain("evt-1", BaseTime, role: "org:billing")));
        await h.Processor.ProcessAsync(Bytes(Plain("evt-2", BaseTime.AddMinutes(1), role: "org:ghost")));
        var function = new GetMembershipFunction(h.Ledger);

        var (status, _, json) = await Call(Request("GET"), r => function.RunAsync(r, OrgId, MemberId, default));

        Assert.Equal(200, status);
        Assert.Equal("evt-2", json["newest"]!["eventId"]!.GetValue<string>());
        Assert.True(json["newest"]!["rejected"]!.GetValue<bool>());
        Assert.Equal("evt-1", json["lastApplied"]!["eventId"]!.GetValue<string>());
        Assert.Equal("org:billing", json["lastApplied"]!["role"]!.GetValue<string>());
        Assert.Equal("RoleNotFound", json["lastRejection"]!["reason"]!.GetValue<string>());
    }

    [Theory]
    [InlineData(OrgId, "user_never", 404)]
    [InlineData("org_../../x", MemberId, 400)]
    [InlineData(OrgId, "bob", 400)]
    public async Task Membership_audit_view_refuses_unknown_or_invalid_ids(string org, string user, int expected)
    {
        var function = new GetMembershipFunction(new InMemoryMembershipLedger());

        var (status, type, _) = await Call(Request("GET"), r => function.RunAsync(r, org, user, default));

        Assert.Equal(expected, status);
        Assert.StartsWith("application/problem+json", type);
    }

    private static DeadLetterReplayer Replayer(FakeDeadLetterQueue queue) =>
        new(queue, new InMemoryMembershipLedger(), TestSigning.Signer(), TimeProvider.System, new FakeLogger<DeadLetterReplayer>());
}
