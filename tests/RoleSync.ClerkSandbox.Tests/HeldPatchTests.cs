namespace RoleSync.ClerkSandbox.Tests;

/// <summary>Late PATCHes: <see cref="ClerkSandbox.HoldPatches"/> takes PATCHes without answering and applies them when the test says so.</summary>
public sealed class HeldPatchTests
{
    [Fact]
    public async Task A_held_patch_gets_no_answer_and_is_applied_only_when_it_lands()
    {
        await using var harness = await Seeded();
        using var hold = harness.Sandbox.HoldPatches("org_1", "user_1");

        var waiting = await SendHeldAsync(harness, hold, "org:admin");

        Assert.False(waiting.IsCompleted);
        Assert.Equal("org:member", harness.Sandbox.GetRole("org_1", "user_1"));
        var recorded = Assert.Single(harness.Sandbox.Requests);
        Assert.Equal(("PATCH", 0, true), (recorded.Method, recorded.StatusCode, recorded.Held));

        var landed = Assert.Single(hold.Land());

        Assert.Equal("org:admin", harness.Sandbox.GetRole("org_1", "user_1"));
        Assert.Equal(("org_1", "user_1", "org:admin", 200, (string?)null), (landed.OrganizationId, landed.UserId, landed.Role, landed.StatusCode, landed.ErrorCode));
        Assert.Equal(recorded.ReceivedAt, landed.ReceivedAt);
        Assert.Equal([landed], harness.Sandbox.LandedPatches);
        Assert.Equal([landed], await hold.Landed);
        await Assert.ThrowsAsync<HttpRequestException>(() => waiting); // the connection is reset, never answered
    }

    [Fact]
    public async Task A_patch_whose_client_gave_up_still_lands_later()
    {
        await using var harness = await Seeded();
        using var hold = harness.Sandbox.HoldPatches("org_1", "user_1");
        using var gaveUp = new CancellationTokenSource();

        var waiting = harness.Http.PatchAsync(
            SandboxHarness.MembershipPath("org_1", "user_1"),
            new StringContent("""{"role":"org:admin"}""", System.Text.Encoding.UTF8, "application/json"),
            gaveUp.Token);
        await hold.WhenHeldAsync();
        await gaveUp.CancelAsync(); // the worker's timeout
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting);
        await ClerkAssert.JsonAsync(await harness.SetRoleAsync("org_1", "user_1", "org:billing")); // a newer change, answered

        hold.Land();

        Assert.Equal("org:admin", harness.Sandbox.GetRole("org_1", "user_1")); // the older PATCH landed last
        Assert.Equal([(0, true), (200, false)], harness.Sandbox.Requests.Select(r => (r.StatusCode, r.Held)));
    }

    [Fact]
    public async Task Held_patches_land_in_arrival_order()
    {
        await using var harness = await Seeded();
        using var hold = harness.Sandbox.HoldPatches("org_1", "user_1", count: 2);

        var first = await SendHeldAsync(harness, hold, "org:billing");
        var second = await SendHeldAsync(harness, hold, "org:admin", held: 2);

        var landed = hold.Land();

        Assert.Equal(["org:billing", "org:admin"], landed.Select(l => l.Role));
        Assert.Equal("org:admin", harness.Sandbox.GetRole("org_1", "user_1"));
        Assert.Equal(2, hold.HeldCount);
        await Assert.ThrowsAsync<HttpRequestException>(() => first);
        await Assert.ThrowsAsync<HttpRequestException>(() => second);
    }

    [Fact]
    public async Task A_held_patch_lands_under_the_rules_as_they_stand_when_it_lands()
    {
        await using var harness = await Seeded();
        harness.Sandbox.AddMember("org_1", "user_3", "org:admin"); // two admins: demoting user_2 is allowed now
        using var hold = harness.Sandbox.HoldPatches("org_1", "user_2");
        var waiting = await SendHeldAsync(harness, hold, "org:member");
        harness.Sandbox.RemoveMember("org_1", "user_3"); // ...but not when it lands

        var landed = Assert.Single(hold.Land());

        Assert.Equal((400, "organization_minimum_permissions_needed"), (landed.StatusCode, landed.ErrorCode));
        Assert.Equal("org:admin", harness.Sandbox.GetRole("org_1", "user_2"));
        await Assert.ThrowsAsync<HttpRequestException>(() => waiting);
    }

    [Fact]
    public async Task Land_after_applies_the_held_patch_right_after_a_later_one_before_that_one_is_answered()
    {
        await using var harness = await Seeded();
        using var hold = harness.Sandbox.HoldPatches("org_1", "user_1");
        hold.LandAfter(1);

        var late = await SendHeldAsync(harness, hold, "org:admin");
        var newer = await ClerkAssert.JsonAsync(await harness.SetRoleAsync("org_1", "user_1", "org:billing"));

        Assert.Equal("org:billing", newer.GetProperty("role").GetString()); // the answer of the newer PATCH...
        Assert.Equal("org:admin", harness.Sandbox.GetRole("org_1", "user_1")); // ...but the late one had landed before it came
        Assert.Equal("org:admin", Assert.Single(await hold.Landed).Role);
        await Assert.ThrowsAsync<HttpRequestException>(() => late);
    }

    [Fact]
    public async Task Only_the_held_membership_and_only_count_patches_are_held()
    {
        await using var harness = await Seeded();
        using var hold = harness.Sandbox.HoldPatches("org_1", "user_1");

        var held = await SendHeldAsync(harness, hold, "org:admin");
        await ClerkAssert.JsonAsync(await harness.SetRoleAsync("org_1", "user_1", "org:billing"));
        await ClerkAssert.JsonAsync(await harness.SetRoleAsync("org_1", "user_3", "org:admin"));
        await ClerkAssert.JsonAsync(await harness.ListAsync("org_1", "?user_id=user_1"));

        Assert.Equal(("org:billing", "org:admin"), (harness.Sandbox.GetRole("org_1", "user_1"), harness.Sandbox.GetRole("org_1", "user_3")));
        Assert.Equal(1, hold.HeldCount);
        Assert.Equal(3, harness.Sandbox.PatchCount);
        Assert.False(held.IsCompleted);
    }

    [Fact]
    public async Task Invalid_unauthenticated_or_rate_limited_patches_are_answered_not_held()
    {
        await using var harness = await Seeded();
        using var hold = harness.Sandbox.HoldPatches("org_1", "user_1");
        using var anonymous = harness.NewClient();

        await ClerkAssert.ErrorAsync(await harness.PatchAsync("org_1", "user_1", "{}"), HttpStatusCode.UnprocessableEntity, "form_param_missing", "role");
        Assert.Equal(HttpStatusCode.Unauthorized, (await harness.SetRoleAsync("org_1", "user_1", "org:admin", anonymous)).StatusCode);
        harness.Sandbox.FailNext(1, 503);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await harness.SetRoleAsync("org_1", "user_1", "org:admin")).StatusCode);

        Assert.Equal(0, hold.HeldCount);
    }

    [Fact]
    public async Task Disposing_the_hold_loses_the_held_patch()
    {
        await using var harness = await Seeded();
        var hold = harness.Sandbox.HoldPatches("org_1", "user_1", count: 2);
        var waiting = await SendHeldAsync(harness, hold, "org:admin");
        var never = hold.WhenHeldAsync(2);

        hold.Dispose();

        await Assert.ThrowsAsync<HttpRequestException>(() => waiting);
        await Assert.ThrowsAsync<InvalidOperationException>(() => never);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => hold.Landed);
        Assert.Throws<InvalidOperationException>(() => hold.Land());
        Assert.Equal("org:member", harness.Sandbox.GetRole("org_1", "user_1"));
        Assert.Empty(harness.Sandbox.LandedPatches);
        await ClerkAssert.JsonAsync(await harness.SetRoleAsync("org_1", "user_1", "org:billing")); // no longer held
    }

    [Fact]
    public async Task Stopping_the_sandbox_ends_held_requests()
    {
        var harness = await Seeded();
        using var client = harness.NewClient(SandboxHarness.Key); // outlives the harness's own client
        var hold = harness.Sandbox.HoldPatches("org_1", "user_1");
        var waiting = await SendHeldAsync(harness, hold, "org:admin", client);

        await harness.DisposeAsync();

        await Assert.ThrowsAsync<HttpRequestException>(() => waiting);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => hold.Landed);
    }

    private static Task<SandboxHarness> Seeded() =>
        SandboxHarness.StartWithMembersAsync(("user_1", "org:member"), ("user_2", "org:admin"), ("user_3", "org:member"));

    /// <summary>Sends a PATCH of the hold's membership and returns, the request still waiting, once the hold has it.</summary>
    private static async Task<Task<HttpResponseMessage>> SendHeldAsync(
        SandboxHarness harness, PatchHold hold, string role, HttpClient? client = null, int held = 1)
    {
        var waiting = harness.SetRoleAsync(hold.OrganizationId, hold.UserId, role, client);
        await hold.WhenHeldAsync(held);
        return waiting;
    }
}
