namespace RoleSync.ClerkSandbox.Tests;

public sealed class UpdateMembershipTests
{
    [Fact]
    public async Task Sets_the_role_and_answers_the_membership()
    {
        var clock = new FakeTimeProvider(SandboxHarness.Start);
        await using var harness = await SandboxHarness.StartAsync(new ClerkSandboxOptions { TimeProvider = clock });
        harness.Sandbox.AddOrganization("org_1", "org:admin", "org:member", "org:billing_manager");
        harness.Sandbox.AddMember("org_1", "user_admin", "org:admin");
        harness.Sandbox.AddMember("org_1", "user_1", "org:member");
        clock.Advance(TimeSpan.FromSeconds(3));

        var membership = await ClerkAssert.JsonAsync(await harness.SetRoleAsync("org_1", "user_1", "org:billing_manager"));

        Assert.Equal("org:billing_manager", harness.Sandbox.GetRole("org_1", "user_1"));
        Assert.Equal("organization_membership", membership.GetProperty("object").GetString());
        Assert.Matches("^orgmem_[0-9A-Za-z]{27}$", membership.GetProperty("id").GetString());
        Assert.Equal("org:billing_manager", membership.GetProperty("role").GetString());
        Assert.Equal("Billing manager", membership.GetProperty("role_name").GetString());
        Assert.Equal(0, membership.GetProperty("permissions").GetArrayLength());
        Assert.Empty(membership.GetProperty("public_metadata").EnumerateObject());
        Assert.Empty(membership.GetProperty("private_metadata").EnumerateObject());
        Assert.Equal(SandboxHarness.Start.ToUnixTimeMilliseconds(), membership.GetProperty("created_at").GetInt64());
        Assert.Equal(clock.GetUtcNow().ToUnixTimeMilliseconds(), membership.GetProperty("updated_at").GetInt64());
        var organization = membership.GetProperty("organization");
        Assert.Equal("organization", organization.GetProperty("object").GetString());
        Assert.Equal("org_1", organization.GetProperty("id").GetString());
        Assert.False(string.IsNullOrEmpty(organization.GetProperty("name").GetString()));
        Assert.False(string.IsNullOrEmpty(organization.GetProperty("slug").GetString()));
        var user = membership.GetProperty("public_user_data");
        Assert.Equal("user_1", user.GetProperty("user_id").GetString());
        Assert.False(string.IsNullOrEmpty(user.GetProperty("identifier").GetString()));
        Assert.Equal(JsonValueKind.Null, user.GetProperty("first_name").ValueKind);
        Assert.Equal(JsonValueKind.Null, user.GetProperty("last_name").ValueKind);
    }

    [Fact]
    public async Task Setting_the_same_role_is_a_no_op_success_with_a_stable_id()
    {
        var clock = new FakeTimeProvider(SandboxHarness.Start);
        await using var harness = await SandboxHarness.StartAsync(new ClerkSandboxOptions { TimeProvider = clock });
        harness.Sandbox.AddMember("org_1", "user_1", "org:member");
        var first = await ClerkAssert.JsonAsync(await harness.SetRoleAsync("org_1", "user_1", "org:member"));
        clock.Advance(TimeSpan.FromMinutes(1));

        var second = await ClerkAssert.JsonAsync(await harness.SetRoleAsync("org_1", "user_1", "org:member"));

        Assert.Equal(first.GetProperty("id").GetString(), second.GetProperty("id").GetString());
        Assert.Equal(SandboxHarness.Start.ToUnixTimeMilliseconds(), second.GetProperty("updated_at").GetInt64());
        Assert.Equal("org:member", harness.Sandbox.GetRole("org_1", "user_1"));
    }

    [Fact]
    public async Task Unknown_organization_and_non_member_are_resource_not_found()
    {
        await using var harness = await SandboxHarness.StartAsync();
        harness.Sandbox.AddMember("org_1", "user_1", "org:member");

        await ClerkAssert.ErrorAsync(await harness.SetRoleAsync("org_missing", "user_1", "org:admin"), HttpStatusCode.NotFound, "resource_not_found");
        await ClerkAssert.ErrorAsync(await harness.SetRoleAsync("org_1", "user_2", "org:admin"), HttpStatusCode.NotFound, "resource_not_found");
        Assert.Null(harness.Sandbox.GetRole("org_1", "user_2"));
    }

    [Fact]
    public async Task Role_outside_the_role_set_is_organization_role_not_found()
    {
        await using var harness = await SandboxHarness.StartAsync();
        harness.Sandbox.AddMember("org_1", "user_1", "org:member");

        var error = await ClerkAssert.ErrorAsync(
            await harness.SetRoleAsync("org_1", "user_1", "org:billing"), HttpStatusCode.NotFound, "resource_not_found", paramName: "role");

        Assert.Equal("Organization role not found", error.GetProperty("long_message").GetString());
        Assert.Equal("org:member", harness.Sandbox.GetRole("org_1", "user_1"));

        harness.Sandbox.AddRole("org_1", "org:billing");
        await ClerkAssert.JsonAsync(await harness.SetRoleAsync("org_1", "user_1", "org:billing"));
        Assert.Equal("org:billing", harness.Sandbox.GetRole("org_1", "user_1"));
    }

    [Fact]
    public async Task Membership_managed_by_directory_sync_is_a_conflict()
    {
        await using var harness = await SandboxHarness.StartAsync();
        harness.Sandbox.AddMember("org_1", "user_1", "org:member", managedByDirectory: true);

        await ClerkAssert.ErrorAsync(
            await harness.SetRoleAsync("org_1", "user_1", "org:admin"), HttpStatusCode.Conflict, "organization_membership_managed_by_scim");

        Assert.Equal("org:member", harness.Sandbox.GetRole("org_1", "user_1"));
    }

    [Fact]
    public async Task Demoting_the_last_admin_is_refused_but_demoting_one_of_two_is_not()
    {
        await using var harness = await SandboxHarness.StartAsync();
        harness.Sandbox.AddMember("org_1", "user_1", "org:admin");
        harness.Sandbox.AddMember("org_1", "user_2", "org:admin");

        await ClerkAssert.JsonAsync(await harness.SetRoleAsync("org_1", "user_1", "org:member"));
        await ClerkAssert.ErrorAsync(
            await harness.SetRoleAsync("org_1", "user_2", "org:member"), HttpStatusCode.BadRequest, "organization_minimum_permissions_needed");

        Assert.Equal("org:member", harness.Sandbox.GetRole("org_1", "user_1"));
        Assert.Equal("org:admin", harness.Sandbox.GetRole("org_1", "user_2"));
        await ClerkAssert.JsonAsync(await harness.SetRoleAsync("org_1", "user_2", "org:admin"));
    }

    [Theory]
    [InlineData("not json", "form_param_value_invalid", "role")]
    [InlineData("[\"org:admin\"]", "form_param_value_invalid", "role")]
    [InlineData("\"org:admin\"", "form_param_value_invalid", "role")]
    [InlineData("{\"role\":42}", "form_param_value_invalid", "role")]
    [InlineData("{\"role\":[\"org:admin\"]}", "form_param_value_invalid", "role")]
    [InlineData("{}", "form_param_missing", "role")]
    [InlineData("", "form_param_missing", "role")]
    [InlineData("{\"role\":null}", "form_param_missing", "role")]
    [InlineData("{\"role\":\"org:admin\",\"public_metadata\":{}}", "form_param_unknown", "public_metadata")]
    [InlineData("{\"Role\":\"org:admin\"}", "form_param_unknown", "Role")]
    public async Task Malformed_bodies_are_unprocessable(string body, string code, string paramName)
    {
        await using var harness = await SandboxHarness.StartAsync();
        harness.Sandbox.AddMember("org_1", "user_1", "org:member");
        harness.Sandbox.AddMember("org_1", "user_2", "org:admin");

        await ClerkAssert.ErrorAsync(
            await harness.PatchAsync("org_1", "user_1", body), HttpStatusCode.UnprocessableEntity, code, paramName);

        Assert.Equal("org:member", harness.Sandbox.GetRole("org_1", "user_1"));
    }
}
