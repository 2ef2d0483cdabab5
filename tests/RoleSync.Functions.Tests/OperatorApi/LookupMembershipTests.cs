using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using RoleSync.Lifecycle;
using static RoleSync.Functions.Tests.OperatorApi.OperatorApiHttp;

namespace RoleSync.Functions.Tests.OperatorApi;

/// <summary>
/// <c>GET /api/memberships/lookup</c> against the Clerk sandbox: by user id, by a ledger record's identifiers, by Clerk's
/// <c>GET /v1/users</c> (the resolver's one rule: a ledger record is trusted for <c>Users:CacheDuration</c>); not
/// found, ambiguous, Clerk failing; the query validated like the contract.
/// </summary>
public sealed class LookupMembershipTests
{
    private const string HrUserId = "user_4m0qr5Kun3ST9vMw7HIPhcNMGqW";
    private const string HrEmail = "dana@contoso.com";

    private static async Task<(int Status, JsonNode Json, HttpResponse Response)> LookupAsync(RoleSyncHarness h, string query, UserResolver? resolver = null)
    {
        var function = new LookupMembershipFunction(h.Ledger, resolver ?? h.Services.GetRequiredService<UserResolver>(), TimeProvider.System);
        var request = Request("GET", query: query);
        var (status, _, json) = await Execute(request, await function.RunAsync(request, default));
        return (status, json, request.HttpContext.Response);
    }

    private static void AssertFound(JsonNode json, string userId, string resolvedBy, bool known) =>
        Assert.Equal((OrgId, userId, resolvedBy, known),
            (json["organizationId"]!.GetValue<string>(), json["userId"]!.GetValue<string>(), json["resolvedBy"]!.GetValue<string>(), json["known"]!.GetValue<bool>()));

    [Fact]
    public async Task A_user_id_is_its_own_answer_known_when_the_ledger_has_the_membership()
    {
        await using var h = await StartAsync();
        await h.Processor.ProcessAsync(Bytes(Plain("evt-1", BaseTime, role: "org:billing")));
        h.Clerk.ClearRequests();

        var (status, known, _) = await LookupAsync(h, $"?organizationId={OrgId}&userId={MemberId}");
        var (_, unknown, _) = await LookupAsync(h, $"?organizationId={OrgId}&userId={AdminId}");

        Assert.Equal(200, status);
        AssertFound(known, MemberId, "user-id", known: true);
        AssertFound(unknown, AdminId, "user-id", known: false);
        Assert.Empty(h.Clerk.Requests);
    }

    /// <summary>A host that did not resolve the change itself (its cache is empty): the ledger record answers while it is fresh.</summary>
    private static UserResolver OtherHost(RoleSyncHarness h, TimeProvider time) =>
        new(h.ClerkClient, h.Ledger, Options.Create(new UserResolutionOptions { CacheDuration = TimeSpan.FromMinutes(15) }), time);

    private static async Task<(RoleSyncHarness Harness, FakeTimeProvider Time)> ResolvedThroughProcessingAsync()
    {
        var time = new FakeTimeProvider(BaseTime.AddMinutes(1));
        var h = await StartAsync(timeProvider: time);
        h.Clerk.AddUser(HrUserId, "E-1001", HrEmail);
        h.Clerk.AddMember(OrgId, HrUserId, "org:member");
        Assert.Equal(Outcome.Applied, (await h.Processor.ProcessAsync(Bytes(Message("evt-1", BaseTime, externalId: "E-1001", role: "org:billing")))).Outcome);
        h.Clerk.ClearRequests();
        return (h, time);
    }

    [Theory]
    [InlineData(14, "ledger")] // within Users:CacheDuration (15 min): the ledger answers, Clerk is not asked
    [InlineData(16, "clerk")] // older: the email or external id may have moved to another person, so Clerk is asked
    public async Task An_identifier_a_change_was_resolved_from_is_trusted_from_the_ledger_for_CacheDuration_only(int minutesLater, string resolvedBy)
    {
        var (h, time) = await ResolvedThroughProcessingAsync();
        await using var _ = h;
        time.Advance(TimeSpan.FromMinutes(minutesLater));
        using var resolver = OtherHost(h, time);

        var (status, json, _) = await LookupAsync(h, $"?organizationId={OrgId}&externalId=E-1001", resolver);

        Assert.Equal(200, status);
        AssertFound(json, HrUserId, resolvedBy, known: true);
        (string, string)[] clerkRequests = resolvedBy == "clerk" ? [("GET", "/v1/users")] : [];
        Assert.Equal(clerkRequests, h.Clerk.Requests.Select(r => (r.Method, r.Path)));
    }

    [Fact]
    public async Task The_resolver_that_resolved_the_change_answers_from_its_cache_naming_where_the_cache_got_it()
    {
        var (h, _) = await ResolvedThroughProcessingAsync();
        await using var __ = h;

        var (status, json, _) = await LookupAsync(h, $"?organizationId={OrgId}&externalId=E-1001");

        Assert.Equal(200, status);
        AssertFound(json, HrUserId, "clerk", known: true);
        Assert.Empty(h.Clerk.Requests);
    }

    [Fact]
    public async Task An_email_address_the_ledger_does_not_know_is_looked_up_in_Clerk_read_only()
    {
        await using var h = await StartAsync();
        h.Clerk.AddUser(HrUserId, null, HrEmail);

        var (status, json, _) = await LookupAsync(h, $"?organizationId={OrgId}&emailAddress={Uri.EscapeDataString("Dana@Contoso.com")}");

        Assert.Equal(200, status);
        AssertFound(json, HrUserId, "clerk", known: false);
        var request = Assert.Single(h.Clerk.Requests);
        Assert.Equal(("GET", "/v1/users"), (request.Method, request.Path));
    }

    [Fact]
    public async Task Nobody_matching_is_404_UserNotFound()
    {
        await using var h = await StartAsync();

        var (status, json, _) = await LookupAsync(h, $"?organizationId={OrgId}&externalId=E-404");

        Assert.Equal(404, status);
        Assert.Equal(Reasons.UserNotFound, json["reason"]!.GetValue<string>());
    }

    [Fact]
    public async Task Several_users_matching_is_409_AmbiguousUser_listing_their_ids_not_the_address()
    {
        await using var h = await StartAsync();
        h.Clerk.AddUser(HrUserId, null, HrEmail);
        h.Clerk.AddUser("user_5n1rs6Lvo4TU0wNx8JKQidONHrX", null, HrEmail);

        var (status, json, _) = await LookupAsync(h, $"?organizationId={OrgId}&emailAddress={HrEmail}");

        Assert.Equal(409, status);
        Assert.Equal(Reasons.AmbiguousUser, json["reason"]!.GetValue<string>());
        Assert.Equal(new[] { HrUserId, "user_5n1rs6Lvo4TU0wNx8JKQidONHrX" }.Order(), json["userIds"]!.AsArray().Select(u => u!.GetValue<string>()).Order());
        Assert.DoesNotContain(HrEmail, json.ToJsonString(), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Clerk_failing_is_503_with_Retry_After()
    {
        await using var h = await StartAsync(settings: new Dictionary<string, string?> { ["Clerk:MaxRetryAttempts"] = "0" });
        h.Clerk.FailNext(5, 503);

        var (status, json, response) = await LookupAsync(h, $"?organizationId={OrgId}&externalId=E-1001");

        Assert.Equal(503, status);
        Assert.Equal(Reasons.ClerkUnavailable, json["reason"]!.GetValue<string>());
        Assert.False(string.IsNullOrEmpty(response.Headers.RetryAfter));
        Assert.DoesNotContain(SecretKey, json.ToJsonString());
    }

    [Theory]
    [InlineData("", "organizationId: is required")]
    [InlineData("?organizationId=org_1", "userId, externalId, emailAddress: exactly one is required, not none")]
    [InlineData("?organizationId=org_1&userId=user_1&externalId=E-1", "userId, externalId, emailAddress: exactly one is required, not userId and externalId")]
    [InlineData("?organizationId=org_x/y&userId=user_1", "organizationId:")]
    [InlineData("?organizationId=org_1&userId=bob", "userId:")]
    [InlineData("?organizationId=org_1&emailAddress=no-at-sign", "emailAddress:")]
    [InlineData("?organizationId=org_1&emailAddress=a%20b@contoso.com", "emailAddress:")]
    [InlineData("?organizationId=org_1&externalId=", "externalId:")]
    [InlineData("?organizationId=org_1&externalId=a%0Ab", "externalId:")]
    [InlineData("?organizationId=org_1&userId=user_1&colour=blue", "colour: unknown query parameter")]
    public async Task The_query_is_validated_like_the_contract_before_anything_is_read(string query, string error)
    {
        await using var h = await StartAsync();

        var (status, json, _) = await LookupAsync(h, query);

        Assert.Equal(400, status);
        Assert.Contains(json["errors"]!.AsArray(), e => e!.GetValue<string>().StartsWith(error, StringComparison.Ordinal));
        Assert.Empty(h.Clerk.Requests);
    }

    [Fact]
    public async Task An_external_id_over_255_characters_is_refused()
    {
        await using var h = await StartAsync();

        var (status, json, _) = await LookupAsync(h, $"?organizationId={OrgId}&externalId={new string('x', 256)}");

        Assert.Equal(400, status);
        Assert.StartsWith("externalId:", json["errors"]![0]!.GetValue<string>());
    }
}
