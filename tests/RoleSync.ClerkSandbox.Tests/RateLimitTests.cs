namespace RoleSync.ClerkSandbox.Tests;

public sealed class RateLimitTests
{
    [Fact]
    public async Task Instance_limit_counts_every_endpoint_and_answers_the_rest_of_the_window()
    {
        var clock = new FakeTimeProvider(SandboxHarness.Start);
        await using var harness = await SandboxHarness.StartAsync(
            new ClerkSandboxOptions { TimeProvider = clock, InstanceLimit = 3, InstanceWindow = TimeSpan.FromSeconds(10) });
        harness.Sandbox.AddMember("org_1", "user_owner", "org:admin");
        harness.Sandbox.AddMember("org_1", "user_1", "org:member");
        clock.Advance(TimeSpan.FromSeconds(2.5));

        Assert.Equal(HttpStatusCode.OK, (await harness.SetRoleAsync("org_1", "user_1", "org:admin")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await harness.ListAsync("org_1")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await harness.Http.GetAsync("/v1/users")).StatusCode);
        var limited = await harness.SetRoleAsync("org_1", "user_1", "org:member");

        var error = await ClerkAssert.ErrorAsync(limited, HttpStatusCode.TooManyRequests, "too_many_requests");
        Assert.Equal("Too many requests", error.GetProperty("message").GetString());
        Assert.Equal(8, ClerkAssert.RetryAfterSeconds(limited)); // 7.5 s left in the window, rounded up
        Assert.Equal("org:admin", harness.Sandbox.GetRole("org_1", "user_1"));
        Assert.Equal(1, harness.Sandbox.RateLimitedCount);

        clock.Advance(TimeSpan.FromSeconds(7.5));
        Assert.Equal(HttpStatusCode.OK, (await harness.SetRoleAsync("org_1", "user_1", "org:member")).StatusCode);
    }

    [Fact]
    public async Task Retry_after_is_at_least_one_second()
    {
        var clock = new FakeTimeProvider(SandboxHarness.Start);
        await using var harness = await SandboxHarness.StartAsync(new ClerkSandboxOptions { TimeProvider = clock, InstanceLimit = 1 });
        clock.Advance(TimeSpan.FromSeconds(10) - TimeSpan.FromMilliseconds(1));

        await harness.ListAsync("org_1");
        var limited = await harness.ListAsync("org_1");

        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.Equal(1, ClerkAssert.RetryAfterSeconds(limited));
    }

    [Fact]
    public async Task Requests_failing_authentication_do_not_use_the_instance_limit()
    {
        var clock = new FakeTimeProvider(SandboxHarness.Start);
        await using var harness = await SandboxHarness.StartAsync(new ClerkSandboxOptions { TimeProvider = clock, InstanceLimit = 1 });
        harness.Sandbox.AddMember("org_1", "user_1", "org:member");
        using var anonymous = harness.NewClient();

        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/v1/organizations/org_1/memberships")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await harness.ListAsync("org_1")).StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await harness.ListAsync("org_1")).StatusCode);
    }

    [Fact]
    public async Task Membership_limit_applies_per_membership_and_resets_with_the_window()
    {
        var clock = new FakeTimeProvider(SandboxHarness.Start);
        await using var harness = await SandboxHarness.StartAsync(
            new ClerkSandboxOptions { TimeProvider = clock, MembershipLimit = 2, MembershipWindow = TimeSpan.FromSeconds(10) });
        harness.Sandbox.AddMember("org_1", "user_owner", "org:admin");
        harness.Sandbox.AddMember("org_1", "user_1", "org:member");
        harness.Sandbox.AddMember("org_1", "user_2", "org:member");
        clock.Advance(TimeSpan.FromSeconds(4));

        Assert.Equal(HttpStatusCode.OK, (await harness.SetRoleAsync("org_1", "user_1", "org:admin")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await harness.SetRoleAsync("org_1", "user_1", "org:member")).StatusCode);
        var limited = await harness.SetRoleAsync("org_1", "user_1", "org:admin");

        await ClerkAssert.ErrorAsync(limited, HttpStatusCode.TooManyRequests, "too_many_requests");
        Assert.Equal(6, ClerkAssert.RetryAfterSeconds(limited));
        Assert.Equal("org:member", harness.Sandbox.GetRole("org_1", "user_1"));
        Assert.Equal(HttpStatusCode.OK, (await harness.SetRoleAsync("org_1", "user_2", "org:admin")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await harness.ListAsync("org_1")).StatusCode);

        clock.Advance(TimeSpan.FromSeconds(6));
        Assert.Equal(HttpStatusCode.OK, (await harness.SetRoleAsync("org_1", "user_1", "org:admin")).StatusCode);
        Assert.Equal("org:admin", harness.Sandbox.GetRole("org_1", "user_1"));
    }

    [Fact]
    public async Task Zero_limits_mean_unlimited()
    {
        await using var harness = await SandboxHarness.StartAsync(new ClerkSandboxOptions { InstanceLimit = 0, MembershipLimit = 0 });
        harness.Sandbox.AddMember("org_1", "user_owner", "org:admin");
        harness.Sandbox.AddMember("org_1", "user_1", "org:member");

        for (int i = 0; i < 25; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await harness.SetRoleAsync("org_1", "user_1", i % 2 == 0 ? "org:admin" : "org:member")).StatusCode);
        }

        Assert.Equal(0, harness.Sandbox.RateLimitedCount);
    }
}
