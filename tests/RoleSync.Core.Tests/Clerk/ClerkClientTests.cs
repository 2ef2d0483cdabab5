using static RoleSync.Testing.RoleSyncHarness;

namespace RoleSync.Core.Tests.Clerk;

/// <summary>The typed Clerk client against the sandbox over real HTTP: wire format, errors, resilience.</summary>
public sealed class ClerkClientTests
{
    [Fact]
    public async Task Patch_sends_the_documented_request_and_reads_the_membership()
    {
        await using var h = await StartAsync();

        var result = await h.ClerkClient.UpdateMembershipRoleAsync(OrgId, MemberId, "org:admin");

        Assert.True(result.IsSuccess);
        Assert.Equal("org:admin", result.Membership!.Role);
        Assert.Equal(OrgId, result.Membership.OrganizationId);
        Assert.Equal(MemberId, result.Membership.UserId);
        Assert.StartsWith("orgmem_", result.Membership.Id);
        Assert.Equal("org:admin", h.Clerk.GetRole(OrgId, MemberId));
        var request = Assert.Single(h.Clerk.Requests);
        Assert.Equal("PATCH", request.Method);
        Assert.Equal($"/v1/organizations/{OrgId}/memberships/{MemberId}", request.Path);
        Assert.Equal($"Bearer {SecretKey}", request.Authorization);
        Assert.Equal("2026-05-12", request.ApiVersion);
        Assert.Equal("application/json", request.Accept);
        Assert.StartsWith("application/json", request.ContentType);
        Assert.StartsWith("RoleSync/", request.UserAgent);
        Assert.Equal("{\"role\":\"org:admin\"}", request.Body);
    }

    [Fact]
    public async Task Get_finds_a_member_and_answers_null_for_a_non_member()
    {
        await using var h = await StartAsync();

        var member = await h.ClerkClient.GetMembershipAsync(OrgId, AdminId);
        var stranger = await h.ClerkClient.GetMembershipAsync(OrgId, "user_nobody");

        Assert.Equal("org:admin", member.Membership!.Role);
        Assert.True(stranger.IsSuccess);
        Assert.Null(stranger.Membership);
        Assert.All(h.Clerk.Requests, r => Assert.Equal("GET", r.Method));
        Assert.Contains(h.Clerk.Requests, r => r.QueryString.Contains($"user_id={AdminId}", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("org_nope", MemberId, "org:admin", 404, "resource_not_found", null)]
    [InlineData(OrgId, "user_nope", "org:admin", 404, "resource_not_found", null)]
    [InlineData(OrgId, MemberId, "org:ghost", 404, "resource_not_found", "role")]
    [InlineData(OrgId, AdminId, "org:member", 400, "organization_minimum_permissions_needed", null)]
    public async Task Clerk_errors_are_parsed_into_typed_errors(string org, string user, string role, int status, string code, string? param)
    {
        await using var h = await StartAsync();

        var result = await h.ClerkClient.UpdateMembershipRoleAsync(org, user, role);

        Assert.False(result.IsSuccess);
        Assert.Equal(status, result.Error!.StatusCode);
        Assert.Equal(code, result.Error.Code);
        Assert.Equal(param, result.Error.ParamName);
        Assert.False(string.IsNullOrEmpty(result.Error.TraceId));
        Assert.False(string.IsNullOrEmpty(result.Error.Message));
        Assert.True(result.Error.FromClerk);
    }

    [Fact]
    public async Task Directory_managed_membership_is_a_409()
    {
        await using var h = await StartAsync();
        h.Clerk.AddMember(OrgId, "user_scim1", "org:member", managedByDirectory: true);

        var result = await h.ClerkClient.UpdateMembershipRoleAsync(OrgId, "user_scim1", "org:admin");

        Assert.Equal(409, result.Error!.StatusCode);
        Assert.Equal("organization_membership_managed_by_scim", result.Error.Code);
    }

    [Fact]
    public async Task Trace_id_falls_back_to_the_cf_ray_header()
    {
        await using var h = await StartAsync();
        h.Clerk.OmitTraceId = true;

        var result = await h.ClerkClient.UpdateMembershipRoleAsync(OrgId, "user_nope", "org:admin");

        Assert.False(string.IsNullOrEmpty(result.Error!.TraceId));
    }

    [Fact]
    public async Task A_clerk_error_with_only_a_cf_ray_header_is_from_clerk()
    {
        await using var h = await StartAsync();
        h.Clerk.OmitTraceId = true;

        var result = await h.ClerkClient.UpdateMembershipRoleAsync(OrgId, "user_nope", "org:admin");

        Assert.Equal((404, "resource_not_found", true), (result.Error!.StatusCode, result.Error.Code, result.Error.FromClerk));
    }

    [Theory]
    [InlineData(404, ProxyPage.Html)]
    [InlineData(404, ProxyPage.Json)]
    [InlineData(403, ProxyPage.PlainText)]
    [InlineData(401, ProxyPage.Json)]
    public async Task An_error_without_clerks_body_trace_id_or_cf_ray_is_not_from_clerk(int status, ProxyPage page)
    {
        await using var h = await StartAsync();
        h.Clerk.FailNextLikeAProxy(2, status, page);

        var patch = await h.ClerkClient.UpdateMembershipRoleAsync(OrgId, MemberId, "org:billing");
        var get = await h.ClerkClient.GetMembershipAsync(OrgId, MemberId);

        foreach (var error in new[] { patch.Error!, get.Error! })
        {
            Assert.Equal((status, $"http_{status}", false, (string?)null), (error.StatusCode, error.Code, error.FromClerk, error.TraceId));
        }
        Assert.Equal(2, h.Clerk.Requests.Count); // not retried, and a 401 that is not Clerk's asks for no new key
    }

    [Fact]
    public async Task Errors_without_an_answer_are_not_from_clerk()
    {
        await using var h = await StartAsync(settings: new Dictionary<string, string?>
        {
            ["Clerk:ApiUrl"] = "http://127.0.0.1:9/",
            ["Clerk:MaxRetryAttempts"] = "0",
        });

        var result = await h.ClerkClient.UpdateMembershipRoleAsync(OrgId, MemberId, "org:billing");

        Assert.Equal((null, false), (result.Error!.StatusCode, result.Error.FromClerk));
    }

    [Fact]
    public async Task Server_errors_and_dropped_connections_are_retried_in_process()
    {
        await using var h = await StartAsync();
        h.Clerk.FailNext(2, 503);
        h.Clerk.DropNext(0);

        var result = await h.ClerkClient.UpdateMembershipRoleAsync(OrgId, MemberId, "org:billing");

        Assert.True(result.IsSuccess, result.Error?.ToString());
        Assert.Equal(3, h.Clerk.Requests.Count);
        Assert.Equal("org:billing", h.Clerk.GetRole(OrgId, MemberId));
    }

    [Fact]
    public async Task A_dropped_connection_is_retried()
    {
        await using var h = await StartAsync();
        h.Clerk.DropNext(1);

        var result = await h.ClerkClient.UpdateMembershipRoleAsync(OrgId, MemberId, "org:billing");

        Assert.True(result.IsSuccess, result.Error?.ToString());
        Assert.Equal(2, h.Clerk.Requests.Count);
    }

    [Fact]
    public async Task Persistent_server_errors_end_as_an_error_after_the_retry_budget()
    {
        await using var h = await StartAsync(settings: new Dictionary<string, string?> { ["Clerk:MaxRetryAttempts"] = "2" });
        h.Clerk.FailNext(10, 500);

        var result = await h.ClerkClient.UpdateMembershipRoleAsync(OrgId, MemberId, "org:billing");

        Assert.Equal(500, result.Error!.StatusCode);
        Assert.Equal(3, h.Clerk.Requests.Count); // 1 attempt + 2 retries
    }

    [Fact]
    public async Task A_short_retry_after_is_honoured_in_process()
    {
        await using var h = await StartAsync();
        h.Clerk.RateLimitNext(1, TimeSpan.FromSeconds(1));

        var result = await h.ClerkClient.UpdateMembershipRoleAsync(OrgId, MemberId, "org:billing");

        Assert.True(result.IsSuccess, result.Error?.ToString());
        var requests = h.Clerk.Requests;
        Assert.Equal(2, requests.Count);
        Assert.True(requests[1].ReceivedAt - requests[0].ReceivedAt >= TimeSpan.FromSeconds(0.9),
            $"second attempt came {(requests[1].ReceivedAt - requests[0].ReceivedAt).TotalMilliseconds} ms after the 429");
    }

    [Fact]
    public async Task A_retry_after_longer_than_the_in_process_budget_ends_the_call_with_that_delay()
    {
        await using var h = await StartAsync();
        h.Clerk.RateLimitNext(1, TimeSpan.FromSeconds(120));

        var result = await h.ClerkClient.UpdateMembershipRoleAsync(OrgId, MemberId, "org:billing");

        Assert.Equal(429, result.Error!.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(120), result.Error.RetryAfter);
        Assert.Single(h.Clerk.Requests);
    }

    [Fact]
    public async Task A_slow_clerk_hits_the_attempt_timeout()
    {
        await using var h = await StartAsync(settings: new Dictionary<string, string?>
        {
            ["Clerk:AttemptTimeout"] = "00:00:00.200",
            ["Clerk:MaxRetryAttempts"] = "1",
        });
        h.Clerk.Latency = TimeSpan.FromSeconds(3);

        var result = await h.ClerkClient.UpdateMembershipRoleAsync(OrgId, MemberId, "org:billing");

        Assert.Null(result.Error!.StatusCode);
        Assert.Equal(ClerkError.Timeout, result.Error.Code);
    }

    [Fact]
    public async Task Unreachable_clerk_is_a_network_error()
    {
        await using var h = await StartAsync(settings: new Dictionary<string, string?>
        {
            ["Clerk:ApiUrl"] = "http://127.0.0.1:9/",
            ["Clerk:MaxRetryAttempts"] = "1",
        });

        var result = await h.ClerkClient.UpdateMembershipRoleAsync(OrgId, MemberId, "org:billing");

        Assert.Null(result.Error!.StatusCode);
        Assert.Equal(ClerkError.NetworkError, result.Error.Code);
    }

    [Theory]
    [InlineData("org_../../v1/users", MemberId)]
    [InlineData(OrgId, "user_a/b")]
    [InlineData("org_a%2Fb", MemberId)]
    [InlineData("", MemberId)]
    public async Task Invalid_ids_never_reach_a_url(string org, string user)
    {
        await using var h = await StartAsync();

        await Assert.ThrowsAsync<ArgumentException>(() => h.ClerkClient.UpdateMembershipRoleAsync(org, user, "org:admin"));
        await Assert.ThrowsAsync<ArgumentException>(() => h.ClerkClient.GetMembershipAsync(org, user));
        Assert.Empty(h.Clerk.Requests);
    }

    [Fact]
    public async Task Wrong_key_is_a_401_after_one_refresh()
    {
        await using var h = await StartAsync();
        h.Clerk.SetSecretKeys("sk_test_some_other_fake_key");

        var result = await h.ClerkClient.UpdateMembershipRoleAsync(OrgId, MemberId, "org:billing");

        Assert.Equal(401, result.Error!.StatusCode);
        Assert.Equal("clerk_key_invalid", result.Error.Code);
        Assert.Single(h.Clerk.Requests); // the configured key cannot change, so no second attempt
    }

    [Fact]
    public async Task A_call_the_limiter_holds_past_its_time_sends_nothing_and_says_throttled_not_timeout()
    {
        // Budget 10 / 10 s: the bucket holds one permit and refills one a second; the second call's 300 ms run out first.
        await using var h = await StartAsync(settings: new Dictionary<string, string?>
        {
            ["Clerk:RequestsPer10Seconds"] = "10",
            ["Clerk:TotalTimeout"] = "00:00:00.300",
        });
        Assert.True((await h.ClerkClient.UpdateMembershipRoleAsync(OrgId, MemberId, "org:admin")).IsSuccess);

        var held = await h.ClerkClient.UpdateMembershipRoleAsync(OrgId, MemberId, "org:billing");

        Assert.Equal(ClerkError.Throttled, held.Error!.Code);
        Assert.False(held.Ambiguous); // nothing went out
        Assert.Single(h.Clerk.Requests);
        var change = new RoleSync.Contract.RoleChange("evt-1", DateTimeOffset.UnixEpoch, OrgId, MemberId, "org:billing", "hr", null);
        Assert.Equal(RoleSync.Processing.Reasons.ClerkRateLimited, RoleSync.Processing.ClerkErrorPolicy.Classify(change, held.Error).Reason);
    }
}

public sealed class ClerkRateLimiterTests
{
    [Theory]
    [InlineData(null, true, 500)]
    [InlineData(null, false, 50)]
    [InlineData(500, true, 500)]
    [InlineData(500, false, 100)] // a development instance allows 100: all of it, never more
    [InlineData(80, false, 80)]
    [InlineData(100_000, false, 100_000)] // beyond Clerk's limits (only with a loopback ApiUrl): taken as given
    public void Budget_follows_the_key_kind_unless_configured(int? configured, bool live, int expected)
    {
        using var limiter = new ClerkRateLimiter(Microsoft.Extensions.Options.Options.Create(new ClerkBudgetOptions { RequestsPer10Seconds = configured }));
        Assert.Equal(expected, limiter.BudgetFor(live));
    }

    [Fact]
    public async Task A_burst_gets_at_most_a_twentieth_of_the_budget_at_once()
    {
        var limiter = new ClerkRateLimiter(Microsoft.Extensions.Options.Options.Create(new ClerkBudgetOptions { RequestsPer10Seconds = 900 }));
        int granted = 0;
        var clock = System.Diagnostics.Stopwatch.StartNew();
        for (int i = 0; i < 100; i++)
        {
            var pending = limiter.AcquireAsync(liveKey: true, CancellationToken.None);
            if (pending.IsCompletedSuccessfully && (await pending).IsAcquired)
            {
                granted++;
            }
        }
        // The bucket holds 45 (1/20 of 900) and refills 9 every 100 ms; refill ticks during the loop (a slow machine) add at most that.
        int refillTicks = (int)(clock.Elapsed.TotalMilliseconds / 100) + 1;
        limiter.Dispose(); // fails the queued requests
        Assert.InRange(granted, 45, 45 + 9 * refillTicks);
    }
}
