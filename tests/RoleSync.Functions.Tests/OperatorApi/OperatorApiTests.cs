using RoleSync.Guard;
using static RoleSync.Functions.Tests.OperatorApi.OperatorApiHttp;

namespace RoleSync.Functions.Tests.OperatorApi;

/// <summary>The operator API through its function methods, with real ASP.NET Core request objects.</summary>
public sealed class OperatorApiTests
{
    /// <summary>Runs a function on <paramref name="request"/> and executes its result as the ASP.NET Core integration does; then reads the response.</summary>
    private static async Task<(int Status, string ContentType, JsonNode Json)> Call<TResult>(HttpRequest request, Func<HttpRequest, Task<TResult>> function)
        where TResult : IResult => await Execute(request, await function(request));

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
        var function = new ReplayDeadLettersFunction(Idempotent(new DeadLetterReplayer(queue, new InMemoryMembershipLedger(), TestSigning.Signer(), TimeProvider.System, log)));

        var (status, _, json) = await Call(TestPrincipals.SignIn(Request("POST", $"{{\"sequenceNumbers\":[{seq}]}}"), "alice@contoso.com"), r => function.RunAsync(r, default));

        Assert.Equal(200, status);
        Assert.Equal(1, json["replayed"]!.GetValue<int>());
        Assert.Equal("send-then-complete", json["mode"]!.GetValue<string>());
        Assert.Equal("replayed", json["items"]![0]!["status"]!.GetValue<string>());
        Assert.Equal($"evt-1~replay{seq}", json["items"]![0]!["newMessageId"]!.GetValue<string>());
        Assert.Contains($"alice@contoso.com ({TestPrincipals.AliceOid})", Assert.Single(log.Collector.GetSnapshot()).Message);
        Assert.Empty(queue.Remaining);
    }

    [Fact]
    public async Task Replay_dry_run_by_reason_changes_nothing()
    {
        var queue = new FakeDeadLetterQueue();
        queue.Add(Plain("evt-1"), "MembershipNotFound");
        var function = new ReplayDeadLettersFunction(Idempotent(Replayer(queue)));

        var (status, _, json) = await Call(Request("POST", $"{{\"requestId\":\"req-1\",\"reason\":\"MembershipNotFound\",\"organizationId\":\"{OrgId}\",\"maxSequenceNumber\":1,\"max\":10,\"dryRun\":true}}"), r => function.RunAsync(r, default));

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
        var function = new ReplayDeadLettersFunction(Idempotent(new DeadLetterReplayer(queue, ledger, TestSigning.Signer(), TimeProvider.System, new FakeLogger<DeadLetterReplayer>())));

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
        var function = new ReplayDeadLettersFunction(Idempotent(Replayer(queue)));

        var (status, type, json) = await Call(Request("POST", body), r => function.RunAsync(r, default));

        Assert.Equal(400, status);
        Assert.StartsWith("application/problem+json", type);
        Assert.Contains(mention, json["detail"]!.GetValue<string>());
        Assert.Single(queue.Remaining);
    }

    [Fact]
    public async Task Replay_of_more_than_500_sequence_numbers_is_refused()
    {
        var function = new ReplayDeadLettersFunction(Idempotent(Replayer(new FakeDeadLetterQueue())));
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
        var function = new GetMembershipFunction(h.Ledger, new GuardHolds(new InMemoryGuardStore(), TimeProvider.System));

        var (status, _, json) = await Call(Request("GET"), r => function.RunAsync(r, OrgId, MemberId, default));

        Assert.Equal(200, status);
        Assert.Equal("evt-2", json["newest"]!["eventId"]!.GetValue<string>());
        Assert.True(json["newest"]!["rejected"]!.GetValue<bool>());
        Assert.Equal("evt-1", json["lastApplied"]!["eventId"]!.GetValue<string>());
        Assert.Equal("org:billing", json["lastApplied"]!["role"]!.GetValue<string>());
        Assert.Equal("RoleNotFound", json["lastRejection"]!["reason"]!.GetValue<string>());
    }

    [Fact]
    public async Task Membership_audit_view_lists_the_changes_the_guard_holds_for_it_until_an_operator_decides()
    {
        await using var h = await StartAsync();
        await h.Processor.ProcessAsync(Bytes(Plain("evt-1", BaseTime, role: "org:admin")));
        var store = new InMemoryGuardStore();
        var holds = new GuardHolds(store, TimeProvider.System);
        Assert.NotNull(await store.TryWriteWindowAsync(GuardWindow.Empty(OrgId) with { Holding = true, HoldingSince = BaseTime, HoldSequence = 2 }));
        Assert.NotNull(await store.TryWriteHoldAsync(new GuardHold(OrgId, "evt-2", 1, BaseTime.AddMinutes(1), MemberId, "", Removal: true, Body: "{}")));
        Assert.NotNull(await store.TryWriteHoldAsync(new GuardHold(OrgId, "evt-3", 2, BaseTime.AddMinutes(2), "user_other", "org:member", Removal: false, Body: "{}")));
        var function = new GetMembershipFunction(h.Ledger, holds);

        var (_, _, held) = await Call(Request("GET"), r => function.RunAsync(r, OrgId, MemberId, default));
        var (_, _, heldOnly) = await Call(Request("GET"), r => function.RunAsync(r, OrgId, "user_other", default));
        await holds.ApproveAsync(OrgId, "alice@example.com");
        var (_, _, approved) = await Call(Request("GET"), r => function.RunAsync(r, OrgId, MemberId, default));

        var only = Assert.Single(held["held"]!.AsArray())!;
        Assert.Equal("evt-2", only["eventId"]!.GetValue<string>());
        Assert.Equal("remove", only["action"]!.GetValue<string>());
        Assert.Equal("evt-1", held["newest"]!["eventId"]!.GetValue<string>()); // a hold is not an accepted change
        Assert.Contains("evt-3", heldOnly["detail"]!.GetValue<string>());      // no record yet: 404 names the held change
        Assert.Equal(404, heldOnly["status"]!.GetValue<int>());
        Assert.Empty(approved["held"]!.AsArray());
    }

    [Theory]
    [InlineData(OrgId, "user_never", 404)]
    [InlineData("org_../../x", MemberId, 400)]
    [InlineData(OrgId, "bob", 400)]
    public async Task Membership_audit_view_refuses_unknown_or_invalid_ids(string org, string user, int expected)
    {
        var function = new GetMembershipFunction(new InMemoryMembershipLedger(), new GuardHolds(new InMemoryGuardStore(), TimeProvider.System));

        var (status, type, _) = await Call(Request("GET"), r => function.RunAsync(r, org, user, default));

        Assert.Equal(expected, status);
        Assert.StartsWith("application/problem+json", type);
    }

    internal static IdempotentReplayer Idempotent(DeadLetterReplayer replayer) =>
        new(replayer, new InMemoryOperatorRequestStore(), TimeProvider.System, new FakeLogger<IdempotentReplayer>());

    internal static DeadLetterReplayer Replayer(FakeDeadLetterQueue queue) =>
        new(queue, new InMemoryMembershipLedger(), TestSigning.Signer(), TimeProvider.System, new FakeLogger<DeadLetterReplayer>());
}
