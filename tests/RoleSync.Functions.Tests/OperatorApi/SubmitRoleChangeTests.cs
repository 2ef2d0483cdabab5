using RoleSync.Contract;
using static RoleSync.Functions.Tests.OperatorApi.OperatorApiHttp;

namespace RoleSync.Functions.Tests.OperatorApi;

/// <summary>
/// <c>POST /api/role-changes</c>: a change is queued (one signed message, 202 with the history's Location), never
/// applied on the HTTP path; the dry run stays synchronous and read-only.
/// </summary>
public sealed class SubmitRoleChangeTests
{
    /// <summary>Runs a function on <paramref name="request"/> and executes its result as the ASP.NET Core integration does; then reads the response.</summary>
    private static async Task<(int Status, string ContentType, JsonNode Json)> Call<TResult>(HttpRequest request, Func<HttpRequest, Task<TResult>> function)
        where TResult : IResult => await Execute(request, await function(request));

    private static readonly DateTimeOffset Now = BaseTime.AddDays(1);
    private readonly FakeRoleChangeQueue _queue = new();
    private readonly FakeTimeProvider _time = new(Now);

    private SubmitRoleChangeFunction Function(RoleSyncHarness h) => new(h.Processor, _queue, TestSigning.Signer(), _time);

    [Fact]
    public async Task A_change_is_queued_as_one_signed_message_and_answered_202_with_the_history_location()
    {
        await using var h = await StartAsync();
        var request = Request("POST", Plain("evt-1", role: "org:billing", reason: "promotion"));

        var (status, type, json) = await Call(request, r => Function(h).RunAsync(r, default));

        Assert.Equal((202, "application/json; charset=utf-8"), (status, type));
        Assert.Equal($"/api/memberships/{OrgId}/{MemberId}/history", request.HttpContext.Response.Headers.Location.ToString());
        Assert.Equal(("evt-1", "queued"), (json["eventId"]!.GetValue<string>(), json["status"]!.GetValue<string>()));
        Assert.Equal(("org:billing", "promotion", MemberId), (json["change"]!["role"]!.GetValue<string>(), json["change"]!["reason"]!.GetValue<string>(), json["change"]!["userId"]!.GetValue<string>()));
        var message = Assert.Single(_queue.Sent);
        Assert.Equal("evt-1", message.MessageId);
        var lineage = MessageLineage.Read(TestSigning.Delivered(message, sequenceNumber: 1), TestSigning.Signature);
        Assert.Equal((true, EntryPoint.Operator, OperatorRequest.Caller(request)), (lineage.Verified, lineage.EntryPoint, lineage.Principal));
        var queued = RoleChangeParser.Parse(message.Body.ToMemory().Span, Now).Change!;
        Assert.Equal(("evt-1", BaseTime, "org:billing", "promotion"), (queued.EventId, queued.OccurredAt, queued.Role, queued.Reason));
        Assert.Empty(h.Clerk.Requests); // nothing applied on the HTTP path
        Assert.Null(await h.Ledger.GetAsync(OrgId, MemberId));
    }

    [Fact]
    public async Task Omitted_event_id_and_occurred_at_are_generated_and_now()
    {
        await using var h = await StartAsync();

        var (status, _, json) = await Call(Request("POST", $$"""{"organizationId":"{{OrgId}}","userId":"{{MemberId}}","role":"org:admin"}"""), r => Function(h).RunAsync(r, default));

        Assert.Equal(202, status);
        var eventId = json["eventId"]!.GetValue<string>();
        Assert.StartsWith("op-", eventId);
        Assert.Equal(Now, json["change"]!["occurredAt"]!.GetValue<DateTimeOffset>());
        var queued = RoleChangeParser.Parse(Assert.Single(_queue.Sent).Body.ToMemory().Span, Now).Change!;
        Assert.Equal((eventId, Now), (queued.EventId, queued.OccurredAt));
    }

    [Fact]
    public async Task A_failed_send_is_a_503_with_retry_after_and_nothing_else_happens()
    {
        await using var h = await StartAsync();
        _queue.Fail = new ServiceBusException("namespace unreachable", ServiceBusFailureReason.ServiceCommunicationProblem);
        var request = Request("POST", Plain("evt-1"));

        var (status, _, json) = await Call(request, r => Function(h).RunAsync(r, default));

        Assert.Equal(503, status);
        Assert.Equal("30", request.HttpContext.Response.Headers.RetryAfter.ToString());
        Assert.Equal((SubmitRoleChangeFunction.QueueUnavailable, "evt-1"), (json["reason"]!.GetValue<string>(), json["eventId"]!.GetValue<string>()));
        Assert.Empty(h.Clerk.Requests);
        Assert.Null(await h.Ledger.GetAsync(OrgId, MemberId));
    }

    [Theory]
    [InlineData("org:admin", "would-apply")]
    [InlineData("org:member", "unchanged")]
    public async Task Dry_run_answers_what_would_happen_without_a_patch(string role, string outcome)
    {
        await using var h = await StartAsync();
        var function = Function(h);

        var (status, _, json) = await Call(Request("POST", Plain("evt-1", role: role), "?dryRun=true"), r => function.RunAsync(r, default));

        Assert.Equal(200, status);
        Assert.Equal(outcome, json["outcome"]!.GetValue<string>());
        Assert.Equal(0, h.Clerk.PatchCount);
    }

    [Fact]
    public async Task Dry_run_of_a_non_member_answers_not_found_with_the_reason()
    {
        await using var h = await StartAsync();
        var function = Function(h);

        var (status, _, json) = await Call(Request("POST", Plain("evt-1", userId: "user_nobody"), "?dryRun=true"), r => function.RunAsync(r, default));

        Assert.Equal(200, status);
        Assert.Equal(("not-found", "MembershipNotFound"), (json["outcome"]!.GetValue<string>(), json["reason"]!.GetValue<string>()));
        Assert.Contains("user_nobody", json["detail"]!.GetValue<string>());
        Assert.Equal(0, h.Clerk.PatchCount);
    }

    [Fact]
    public async Task Dry_run_answers_would_remove_and_not_found_for_contract_1_1_messages()
    {
        await using var h = await StartAsync();
        var function = Function(h);

        var (_, _, remove) = await Call(Request("POST", Message("evt-1", userId: MemberId, role: null, action: "remove"), "?dryRun=true"), r => function.RunAsync(r, default));
        var (_, _, nobody) = await Call(Request("POST", Message("evt-2", externalId: "WD-404", role: "org:member"), "?dryRun=true"), r => function.RunAsync(r, default));

        Assert.Equal("would-remove", remove["outcome"]!.GetValue<string>());
        Assert.Equal(("not-found", "UserNotFound"), (nobody["outcome"]!.GetValue<string>(), nobody["reason"]!.GetValue<string>()));
        Assert.Equal("org:member", h.Clerk.GetRole(OrgId, MemberId));
        Assert.All(h.Clerk.Requests, r => Assert.Equal("GET", r.Method));
    }

    [Fact]
    public async Task An_invalid_change_is_a_422_listing_every_violation_and_nothing_is_queued()
    {
        await using var h = await StartAsync();
        var function = Function(h);

        var (status, _, json) = await Call(Request("POST", "{\"eventId\":\"e\",\"role\":\"admin\"}"), r => function.RunAsync(r, default));

        Assert.Equal(422, status);
        Assert.Equal("InvalidMessage", json["reason"]!.GetValue<string>());
        var detail = json["detail"]!.GetValue<string>();
        Assert.DoesNotContain("occurredAt", detail); // an operator may omit it (now)
        Assert.Contains("organizationId: is required", detail);
        Assert.Contains("org:admin", detail);
        Assert.Empty(h.Clerk.Requests);
        Assert.Empty(_queue.Sent);
    }

    [Fact]
    public async Task Dry_run_transient_is_a_503_with_retry_after()
    {
        await using var h = await StartAsync();
        h.Clerk.RateLimitNext(1, TimeSpan.FromSeconds(90));
        var function = Function(h);
        var request = Request("POST", Plain("evt-1"), "?dryRun=true");

        var (status, _, json) = await Call(request, r => function.RunAsync(r, default));

        Assert.Equal(503, status);
        Assert.Equal("90", request.HttpContext.Response.Headers.RetryAfter.ToString());
        Assert.Equal("ClerkRateLimited", json["reason"]!.GetValue<string>());
    }

    [Theory]
    [InlineData(null, "", 400)]
    [InlineData("{}", "?dryRun=maybe", 400)]
    public async Task Submit_refuses_bad_requests(string? body, string query, int expected)
    {
        await using var h = await StartAsync();
        var function = Function(h);

        var (status, type, _) = await Call(Request("POST", body ?? "", query), r => function.RunAsync(r, default));

        Assert.Equal(expected, status);
        Assert.StartsWith("application/problem+json", type);
    }

    [Fact]
    public async Task Bodies_over_1_MiB_are_refused_before_parsing()
    {
        await using var h = await StartAsync();
        var function = Function(h);
        var huge = "{\"eventId\":\"" + new string('x', OperatorRequest.MaxBodyBytes) + "\"}";
        var request = Request("POST", huge);
        request.ContentLength = null; // chunked: the limit must hold while reading too

        var (status, _, _) = await Call(request, r => function.RunAsync(r, default));

        Assert.Equal(413, status);
        Assert.Empty(h.Clerk.Requests);
        Assert.Empty(_queue.Sent);
    }
}
