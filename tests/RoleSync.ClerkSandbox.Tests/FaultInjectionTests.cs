using System.Diagnostics;

namespace RoleSync.ClerkSandbox.Tests;

public sealed class FaultInjectionTests
{
    [Theory]
    [InlineData(503, "service_unavailable")]
    [InlineData(500, "internal_clerk_error")]
    [InlineData(502, "service_unavailable")]
    [InlineData(403, "authorization_invalid")]
    public async Task FailNext_answers_the_status_with_a_clerk_body_then_recovers(int status, string code)
    {
        await using var harness = await SandboxHarness.StartAsync();
        harness.Sandbox.AddMember("org_1", "user_1", "org:member");
        harness.Sandbox.AddMember("org_1", "user_2", "org:admin");
        harness.Sandbox.FailNext(2, status);

        await ClerkAssert.ErrorAsync(await harness.SetRoleAsync("org_1", "user_1", "org:admin"), (HttpStatusCode)status, code);
        await ClerkAssert.ErrorAsync(await harness.ListAsync("org_1"), (HttpStatusCode)status, code);
        Assert.Equal("org:member", harness.Sandbox.GetRole("org_1", "user_1"));

        await ClerkAssert.JsonAsync(await harness.SetRoleAsync("org_1", "user_1", "org:admin"));
        Assert.Equal("org:admin", harness.Sandbox.GetRole("org_1", "user_1"));
    }

    [Fact]
    public async Task FailNext_defaults_to_503()
    {
        await using var harness = await SandboxHarness.StartAsync();
        harness.Sandbox.FailNext(1);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await harness.ListAsync("org_1")).StatusCode);
    }

    [Fact]
    public async Task DropNext_aborts_the_connection_without_a_response()
    {
        await using var harness = await SandboxHarness.StartAsync();
        harness.Sandbox.AddMember("org_1", "user_1", "org:member");
        harness.Sandbox.AddMember("org_1", "user_2", "org:admin");
        harness.Sandbox.DropNext(1);

        // A client of its own, so the request surely goes out on a connection of its own.
        using var fresh = harness.NewClient(SandboxHarness.Key);
        await Assert.ThrowsAsync<HttpRequestException>(() => harness.SetRoleAsync("org_1", "user_1", "org:admin", fresh));

        Assert.Equal("org:member", harness.Sandbox.GetRole("org_1", "user_1"));
        Assert.Equal(0, Assert.Single(harness.Sandbox.Requests).StatusCode);
        await ClerkAssert.JsonAsync(await harness.SetRoleAsync("org_1", "user_1", "org:admin"));
        Assert.Equal([0, 200], harness.Sandbox.Requests.Select(r => r.StatusCode));
    }

    [Fact]
    public async Task RateLimitNext_answers_429_with_retry_after_rounded_up()
    {
        await using var harness = await SandboxHarness.StartAsync();
        harness.Sandbox.RateLimitNext(1, TimeSpan.FromSeconds(1.2));

        var limited = await harness.ListAsync("org_1");

        await ClerkAssert.ErrorAsync(limited, HttpStatusCode.TooManyRequests, "too_many_requests");
        Assert.Equal(2, ClerkAssert.RetryAfterSeconds(limited));
        Assert.Equal(1, harness.Sandbox.RateLimitedCount);
        Assert.Equal(HttpStatusCode.NotFound, (await harness.ListAsync("org_1")).StatusCode);
    }

    [Fact]
    public async Task Faults_come_before_authentication_in_the_order_drop_fail_rate_limit()
    {
        await using var harness = await SandboxHarness.StartAsync();
        harness.Sandbox.RateLimitNext(1, TimeSpan.FromSeconds(3));
        harness.Sandbox.FailNext(1, 500);
        harness.Sandbox.DropNext(1);

        // Each request on a client of its own: no key at all, so only faults can explain a non-401 answer.
        using var first = harness.NewClient();
        using var second = harness.NewClient();
        using var third = harness.NewClient();
        using var fourth = harness.NewClient();
        await Assert.ThrowsAsync<HttpRequestException>(() => first.GetAsync("/v1/organizations/org_1/memberships"));
        Assert.Equal(HttpStatusCode.InternalServerError, (await second.GetAsync("/v1/organizations/org_1/memberships")).StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await third.GetAsync("/v1/organizations/org_1/memberships")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await fourth.GetAsync("/v1/organizations/org_1/memberships")).StatusCode);
    }

    [Theory]
    [InlineData(404, ProxyPage.Html, "text/html", "<h1>404 Not Found</h1>")]
    [InlineData(403, ProxyPage.PlainText, "text/plain", "403 forbidden")]
    [InlineData(401, ProxyPage.Json, "application/json", """{"message":"Unauthorized"}""")]
    public async Task FailNextLikeAProxy_answers_without_clerks_body_trace_id_or_cf_ray_then_recovers(
        int status, ProxyPage page, string mediaType, string bodyPart)
    {
        await using var harness = await SandboxHarness.StartAsync();
        harness.Sandbox.AddMember("org_1", "user_1", "org:member");
        harness.Sandbox.AddMember("org_1", "user_2", "org:admin");
        harness.Sandbox.OmitTraceId = true; // a proxy never sends Clerk's cf-ray, whatever Clerk would do
        harness.Sandbox.FailNextLikeAProxy(2, status, page);

        var patch = await harness.SetRoleAsync("org_1", "user_1", "org:admin");
        var list = await harness.ListAsync("org_1");

        foreach (var response in new[] { patch, list })
        {
            Assert.Equal((HttpStatusCode)status, response.StatusCode);
            Assert.Equal(mediaType, response.Content.Headers.ContentType?.MediaType);
            Assert.False(response.Headers.Contains("cf-ray"));
            string body = await response.Content.ReadAsStringAsync();
            Assert.Contains(bodyPart, body);
            Assert.DoesNotContain("errors", body);
            Assert.DoesNotContain("clerk_trace_id", body);
        }

        Assert.Equal("org:member", harness.Sandbox.GetRole("org_1", "user_1"));
        Assert.Equal([status, status], harness.Sandbox.Requests.Select(r => r.StatusCode));
        await ClerkAssert.JsonAsync(await harness.SetRoleAsync("org_1", "user_1", "org:admin"));
    }

    [Fact]
    public async Task A_proxy_answers_before_clerks_own_faults()
    {
        await using var harness = await SandboxHarness.StartAsync();
        harness.Sandbox.FailNext(1, 500);
        harness.Sandbox.FailNextLikeAProxy(1);
        using var anonymous = harness.NewClient();

        var first = await anonymous.GetAsync("/v1/organizations/org_1/memberships");
        var second = await anonymous.GetAsync("/v1/organizations/org_1/memberships");

        Assert.Equal((HttpStatusCode.NotFound, "text/html"), (first.StatusCode, first.Content.Headers.ContentType?.MediaType));
        Assert.Equal(HttpStatusCode.InternalServerError, second.StatusCode);
    }

    [Fact]
    public async Task Latency_delays_every_response()
    {
        await using var harness = await SandboxHarness.StartAsync();
        harness.Sandbox.Latency = TimeSpan.FromMilliseconds(300);

        var stopwatch = Stopwatch.StartNew();
        var response = await harness.ListAsync("org_1");
        stopwatch.Stop();

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.True(stopwatch.Elapsed >= TimeSpan.FromMilliseconds(290), $"answered after {stopwatch.Elapsed}");
    }

    [Fact]
    public async Task OmitTraceId_moves_the_trace_to_a_cf_ray_header()
    {
        await using var harness = await SandboxHarness.StartAsync();
        harness.Sandbox.AddMember("org_1", "user_1", "org:member");
        harness.Sandbox.OmitTraceId = true;

        await ClerkAssert.ErrorAsync(
            await harness.SetRoleAsync("org_1", "user_1", "org:nope"), HttpStatusCode.NotFound, "resource_not_found", "role", traceId: false);

        harness.Sandbox.OmitTraceId = false;
        await ClerkAssert.ErrorAsync(
            await harness.SetRoleAsync("org_1", "user_1", "org:nope"), HttpStatusCode.NotFound, "resource_not_found", "role", traceId: true);
    }
}
