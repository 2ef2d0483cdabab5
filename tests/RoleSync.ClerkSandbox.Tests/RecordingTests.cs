namespace RoleSync.ClerkSandbox.Tests;

public sealed class RecordingTests
{
    [Fact]
    public async Task Records_what_was_sent_and_answered_in_arrival_order()
    {
        var clock = new FakeTimeProvider(SandboxHarness.Start);
        await using var harness = await SandboxHarness.StartAsync(new ClerkSandboxOptions { TimeProvider = clock });
        harness.Sandbox.AddMember("org_1", "user_1", "org:member");
        harness.Sandbox.AddMember("org_1", "user_2", "org:admin");
        using var request = new HttpRequestMessage(HttpMethod.Patch, SandboxHarness.MembershipPath("org_1", "user_1"))
        {
            Content = new StringContent("""{"role":"org:admin"}""", Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("Clerk-API-Version", "2026-05-12");
        request.Headers.UserAgent.Add(new ProductInfoHeaderValue("RoleSync", "0.1.0"));
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));

        Assert.Equal(HttpStatusCode.OK, (await harness.Http.SendAsync(request)).StatusCode);
        clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(HttpStatusCode.OK, (await harness.ListAsync("org_1", "?user_id=user_1")).StatusCode);

        var recorded = harness.Sandbox.Requests;
        Assert.Equal(2, recorded.Count);
        var patch = recorded[0];
        Assert.Equal(
            new RecordedRequest(
                SandboxHarness.Start, "PATCH", "/v1/organizations/org_1/memberships/user_1", "", "Bearer " + SandboxHarness.Key,
                "2026-05-12", "RoleSync/0.1.0", "application/json", "application/json; charset=utf-8", """{"role":"org:admin"}""", 200),
            patch);
        var get = recorded[1];
        Assert.Equal(("GET", "?user_id=user_1", "", 200), (get.Method, get.QueryString, get.Body, get.StatusCode));
        Assert.Equal(SandboxHarness.Start.AddSeconds(1), get.ReceivedAt);
        Assert.Null(get.ApiVersion);
    }

    [Fact]
    public async Task Records_rejected_requests_with_their_status()
    {
        await using var harness = await SandboxHarness.StartAsync();
        using var anonymous = harness.NewClient();

        await anonymous.GetAsync("/v1/organizations/org_1/memberships");
        await harness.Http.DeleteAsync("/v1/organizations/org_1");

        Assert.Equal([(401, null), (404, "Bearer " + SandboxHarness.Key)], harness.Sandbox.Requests.Select(r => (r.StatusCode, r.Authorization)));
    }

    [Fact]
    public async Task ClearRequests_forgets_requests_and_counters()
    {
        await using var harness = await SandboxHarness.StartAsync();
        harness.Sandbox.AddMember("org_1", "user_1", "org:admin");
        await harness.SetRoleAsync("org_1", "user_1", "org:admin");
        Assert.Single(harness.Sandbox.Requests);
        Assert.Equal(1, harness.Sandbox.PatchCount);

        harness.Sandbox.ClearRequests();

        Assert.Empty(harness.Sandbox.Requests);
        Assert.Equal(0, harness.Sandbox.PatchCount);
        Assert.Equal(0, harness.Sandbox.RequestCount);
        await harness.ListAsync("org_1");
        Assert.Equal("GET", Assert.Single(harness.Sandbox.Requests).Method);
    }

    [Fact]
    public async Task Counters_work_without_recording()
    {
        await using var harness = await SandboxHarness.StartAsync(new ClerkSandboxOptions { RecordRequests = false });
        harness.Sandbox.AddMember("org_1", "user_1", "org:admin");
        harness.Sandbox.RateLimitNext(1, TimeSpan.FromSeconds(1));

        await harness.SetRoleAsync("org_1", "user_1", "org:admin");
        await harness.SetRoleAsync("org_1", "user_1", "org:admin");
        await harness.ListAsync("org_1");

        Assert.Empty(harness.Sandbox.Requests);
        Assert.Equal(3, harness.Sandbox.RequestCount);
        Assert.Equal(2, harness.Sandbox.PatchCount);
        Assert.Equal(1, harness.Sandbox.RateLimitedCount);
    }

    [Fact]
    public async Task Concurrent_requests_and_state_changes_are_all_accounted_for()
    {
        const int Users = 64;
        const int PatchesPerUser = 8;
        await using var harness = await SandboxHarness.StartAsync(new ClerkSandboxOptions { InstanceLimit = 0, MembershipLimit = 0 });
        harness.Sandbox.AddMember("org_1", "user_owner", "org:admin");
        for (int u = 0; u < Users; u++)
        {
            harness.Sandbox.AddMember("org_1", $"user_{u}", "org:member");
        }

        var patches = Enumerable.Range(0, Users * PatchesPerUser).Select(async i =>
        {
            int user = i % Users;
            var response = await harness.SetRoleAsync("org_1", $"user_{user}", user % 2 == 0 ? "org:admin" : "org:member");
            return response.StatusCode;
        });
        var stateChanges = Task.Run(() =>
        {
            for (int i = 0; i < 200; i++)
            {
                harness.Sandbox.AddMember("org_2", $"user_{i}", "org:member");
                harness.Sandbox.AddRole("org_1", $"org:extra_{i}");
                _ = harness.Sandbox.Requests;
            }
        });

        var statuses = await Task.WhenAll(patches);
        await stateChanges;

        Assert.All(statuses, status => Assert.Equal(HttpStatusCode.OK, status));
        Assert.Equal(Users * PatchesPerUser, harness.Sandbox.PatchCount);
        Assert.Equal(Users * PatchesPerUser, harness.Sandbox.Requests.Count);
        Assert.All(Enumerable.Range(0, Users), u => Assert.Equal(u % 2 == 0 ? "org:admin" : "org:member", harness.Sandbox.GetRole("org_1", $"user_{u}")));
        Assert.Equal("org:member", harness.Sandbox.GetRole("org_2", "user_199"));
    }
}
