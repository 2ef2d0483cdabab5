namespace RoleSync.ClerkSandbox.Tests;

/// <summary>Joiners and leavers: POST and DELETE memberships and GET /v1/users, with Clerk's answers.</summary>
public sealed class LifecycleEndpointTests
{
    private static Task<HttpResponseMessage> CreateAsync(SandboxHarness harness, string organizationId, string body) =>
        harness.Http.PostAsync($"/v1/organizations/{organizationId}/memberships", new StringContent(body, Encoding.UTF8, "application/json"));

    private static Task<HttpResponseMessage> DeleteAsync(SandboxHarness harness, string organizationId, string userId) =>
        harness.Http.DeleteAsync(SandboxHarness.MembershipPath(organizationId, userId));

    [Fact]
    public async Task Create_adds_the_member_with_its_role_and_answers_the_membership()
    {
        await using var harness = await SandboxHarness.StartWithMembersAsync(("user_admin", "org:admin"));
        harness.Sandbox.AddUser("user_new", "E-1", "new@example.com");

        var membership = await ClerkAssert.JsonAsync(await CreateAsync(harness, "org_1", """{"user_id":"user_new","role":"org:billing","public_metadata":{}}"""));

        Assert.Equal("org:billing", harness.Sandbox.GetRole("org_1", "user_new"));
        Assert.Equal("organization_membership", membership.GetProperty("object").GetString());
        Assert.Equal("user_new", membership.GetProperty("public_user_data").GetProperty("user_id").GetString());
        Assert.Equal("new@example.com", membership.GetProperty("public_user_data").GetProperty("identifier").GetString());
        Assert.Equal("POST", harness.Sandbox.Requests[^1].Method);
    }

    [Fact]
    public async Task Create_answers_Clerks_errors()
    {
        await using var harness = await SandboxHarness.StartWithMembersAsync(("user_admin", "org:admin"), ("user_1", "org:member"));
        harness.Sandbox.AddUser("user_new");

        await ClerkAssert.ErrorAsync(await CreateAsync(harness, "org_1", """{"user_id":"user_1","role":"org:admin"}"""), HttpStatusCode.BadRequest, "already_a_member_in_organization");
        await ClerkAssert.ErrorAsync(await CreateAsync(harness, "org_1", """{"user_id":"user_ghost","role":"org:admin"}"""), HttpStatusCode.NotFound, "resource_not_found", "user_id");
        await ClerkAssert.ErrorAsync(await CreateAsync(harness, "org_none", """{"user_id":"user_new","role":"org:admin"}"""), HttpStatusCode.NotFound, "resource_not_found");
        await ClerkAssert.ErrorAsync(await CreateAsync(harness, "org_1", """{"user_id":"user_new","role":"org:ghost"}"""), HttpStatusCode.UnprocessableEntity, "form_param_value_invalid", "role");
        await ClerkAssert.ErrorAsync(await CreateAsync(harness, "org_1", """{"user_id":"user_new"}"""), HttpStatusCode.UnprocessableEntity, "form_param_missing", "role");
        await ClerkAssert.ErrorAsync(await CreateAsync(harness, "org_1", """{"user_id":"user_new","role":"org:admin","x":1}"""), HttpStatusCode.UnprocessableEntity, "form_param_unknown", "x");
        harness.Sandbox.SetMaxMembers("org_1", 2);
        await ClerkAssert.ErrorAsync(await CreateAsync(harness, "org_1", """{"user_id":"user_new","role":"org:member"}"""), HttpStatusCode.Forbidden, "organization_membership_quota_exceeded");
        Assert.Null(harness.Sandbox.GetRole("org_1", "user_new"));
    }

    [Fact]
    public async Task Delete_removes_the_member_and_answers_the_deleted_membership_then_404()
    {
        await using var harness = await SandboxHarness.StartWithMembersAsync(("user_admin", "org:admin"), ("user_1", "org:member"));

        var deleted = await ClerkAssert.JsonAsync(await DeleteAsync(harness, "org_1", "user_1"));
        var again = await DeleteAsync(harness, "org_1", "user_1");

        Assert.Equal("org:member", deleted.GetProperty("role").GetString());
        Assert.Equal("organization_membership", deleted.GetProperty("object").GetString());
        Assert.Null(harness.Sandbox.GetRole("org_1", "user_1"));
        await ClerkAssert.ErrorAsync(again, HttpStatusCode.NotFound, "resource_not_found");
        await ClerkAssert.ErrorAsync(await DeleteAsync(harness, "org_none", "user_1"), HttpStatusCode.NotFound, "resource_not_found");
    }

    [Fact]
    public async Task Delete_keeps_the_last_admin_and_directory_managed_members()
    {
        await using var harness = await SandboxHarness.StartWithMembersAsync(("user_admin", "org:admin"));
        harness.Sandbox.AddMember("org_1", "user_scim", "org:member", managedByDirectory: true);

        await ClerkAssert.ErrorAsync(await DeleteAsync(harness, "org_1", "user_admin"), HttpStatusCode.BadRequest, "organization_minimum_permissions_needed");
        await ClerkAssert.ErrorAsync(await DeleteAsync(harness, "org_1", "user_scim"), HttpStatusCode.Conflict, "organization_membership_managed_by_scim");
        harness.Sandbox.AddMember("org_1", "user_admin2", "org:admin");
        await ClerkAssert.JsonAsync(await DeleteAsync(harness, "org_1", "user_admin"));

        Assert.Null(harness.Sandbox.GetRole("org_1", "user_admin"));
    }

    [Fact]
    public async Task Users_are_found_by_email_case_insensitively_by_external_id_and_by_id_as_a_bare_array()
    {
        await using var harness = await SandboxHarness.StartAsync();
        harness.Sandbox.AddUser("user_a", "E-1", "Ada@Example.com", "ada@work.example");
        harness.Sandbox.AddUser("user_b", "E-2", "bob@example.com");
        harness.Sandbox.AddUser("user_c", null, "bob@example.com");

        var byEmail = await ClerkAssert.JsonAsync(await harness.Http.GetAsync("/v1/users?email_address=ada%40example.com"));
        var byExternal = await ClerkAssert.JsonAsync(await harness.Http.GetAsync("/v1/users?external_id=E-2"));
        var shared = await ClerkAssert.JsonAsync(await harness.Http.GetAsync("/v1/users?email_address=bob@example.com"));
        var repeated = await ClerkAssert.JsonAsync(await harness.Http.GetAsync("/v1/users?user_id=user_a&user_id=user_c"));
        var none = await ClerkAssert.JsonAsync(await harness.Http.GetAsync("/v1/users?external_id=E-9"));
        var both = await ClerkAssert.JsonAsync(await harness.Http.GetAsync("/v1/users?external_id=E-2&email_address=ada@example.com"));

        Assert.Equal(JsonValueKind.Array, byEmail.ValueKind);
        var ada = Assert.Single(byEmail.EnumerateArray());
        Assert.Equal("user", ada.GetProperty("object").GetString());
        Assert.Equal("user_a", ada.GetProperty("id").GetString());
        Assert.Equal("E-1", ada.GetProperty("external_id").GetString());
        Assert.Equal(["Ada@Example.com", "ada@work.example"], ada.GetProperty("email_addresses").EnumerateArray().Select(e => e.GetProperty("email_address").GetString()));
        Assert.Equal(ada.GetProperty("email_addresses")[0].GetProperty("id").GetString(), ada.GetProperty("primary_email_address_id").GetString());
        Assert.Equal("verified", ada.GetProperty("email_addresses")[0].GetProperty("verification").GetProperty("status").GetString());
        Assert.Equal("user_b", Assert.Single(byExternal.EnumerateArray()).GetProperty("id").GetString());
        Assert.Equal(["user_b", "user_c"], shared.EnumerateArray().Select(u => u.GetProperty("id").GetString()));
        Assert.Equal(["user_a", "user_c"], repeated.EnumerateArray().Select(u => u.GetProperty("id").GetString()));
        Assert.Empty(none.EnumerateArray());
        Assert.Empty(both.EnumerateArray()); // filters combine: every one must match
    }

    [Fact]
    public async Task Users_need_the_key_honour_limit_and_reject_more_than_100_values()
    {
        await using var harness = await SandboxHarness.StartAsync();
        harness.Sandbox.AddUser("user_a");
        harness.Sandbox.AddUser("user_b");
        using var anonymous = harness.NewClient();

        var page = await ClerkAssert.JsonAsync(await harness.Http.GetAsync("/v1/users?limit=1&offset=1"));
        var tooMany = await harness.Http.GetAsync("/v1/users?" + string.Join("&", Enumerable.Range(0, 101).Select(i => $"external_id=E{i}")));

        Assert.Equal("user_b", Assert.Single(page.EnumerateArray()).GetProperty("id").GetString());
        await ClerkAssert.ErrorAsync(tooMany, HttpStatusCode.UnprocessableEntity, "form_param_value_invalid", "external_id");
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/v1/users")).StatusCode);
    }

    [Fact]
    public async Task Members_get_a_user_and_the_seed_adds_users_and_a_member_limit()
    {
        await using var harness = await SandboxHarness.StartAsync();
        harness.Sandbox.LoadSeed("""
            {"users":[{"id":"user_s1","externalId":"WD-1","emailAddresses":["s1@example.com"]}],
             "organizations":[{"id":"org_s","maxMembers":1,"members":[{"userId":"user_m","role":"org:admin"}]}]}
            """);

        var seeded = await ClerkAssert.JsonAsync(await harness.Http.GetAsync("/v1/users?external_id=WD-1"));
        var member = await ClerkAssert.JsonAsync(await harness.Http.GetAsync("/v1/users?email_address=user_m@example.com"));
        var full = await CreateAsync(harness, "org_s", """{"user_id":"user_s1","role":"org:member"}""");

        Assert.Equal("s1@example.com", Assert.Single(seeded.EnumerateArray()).GetProperty("email_addresses")[0].GetProperty("email_address").GetString());
        Assert.Equal("user_m", Assert.Single(member.EnumerateArray()).GetProperty("id").GetString());
        await ClerkAssert.ErrorAsync(full, HttpStatusCode.Forbidden, "organization_membership_quota_exceeded");
    }

    [Fact]
    public async Task Writes_to_one_membership_share_its_rate_limit()
    {
        var clock = new FakeTimeProvider(SandboxHarness.Start);
        await using var harness = await SandboxHarness.StartAsync(new ClerkSandboxOptions { TimeProvider = clock, MembershipLimit = 2 });
        harness.Sandbox.AddMember("org_1", "user_admin", "org:admin");
        harness.Sandbox.AddUser("user_1");

        await ClerkAssert.JsonAsync(await CreateAsync(harness, "org_1", """{"user_id":"user_1","role":"org:member"}"""));
        await ClerkAssert.JsonAsync(await DeleteAsync(harness, "org_1", "user_1"));
        var third = await CreateAsync(harness, "org_1", """{"user_id":"user_1","role":"org:member"}""");

        await ClerkAssert.ErrorAsync(third, HttpStatusCode.TooManyRequests, "too_many_requests");
        Assert.True(ClerkAssert.RetryAfterSeconds(third) >= 1);
        Assert.Equal(1, harness.Sandbox.RateLimitedCount);
    }
}
