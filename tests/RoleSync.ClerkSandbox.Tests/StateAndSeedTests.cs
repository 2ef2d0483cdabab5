namespace RoleSync.ClerkSandbox.Tests;

public sealed class StateAndSeedTests
{
    [Fact]
    public async Task Organization_without_roles_gets_admin_and_member()
    {
        await using var harness = await SandboxHarness.StartAsync();
        harness.Sandbox.AddOrganization("org_1");
        harness.Sandbox.AddMember("org_1", "user_1", "org:admin");
        harness.Sandbox.AddMember("org_1", "user_2", "org:admin");

        await ClerkAssert.JsonAsync(await harness.SetRoleAsync("org_1", "user_1", "org:member"));
        await ClerkAssert.ErrorAsync(await harness.SetRoleAsync("org_1", "user_2", "org:billing"), HttpStatusCode.NotFound, "resource_not_found", "role");
    }

    [Fact]
    public async Task Removed_member_is_not_found()
    {
        await using var harness = await SandboxHarness.StartAsync();
        harness.Sandbox.AddMember("org_1", "user_1", "org:member");

        harness.Sandbox.RemoveMember("org_1", "user_1");

        Assert.Null(harness.Sandbox.GetRole("org_1", "user_1"));
        await ClerkAssert.ErrorAsync(await harness.SetRoleAsync("org_1", "user_1", "org:member"), HttpStatusCode.NotFound, "resource_not_found");
    }

    [Fact]
    public async Task LoadSeed_adds_organizations_members_and_keys()
    {
        await using var harness = await SandboxHarness.StartAsync();
        harness.Sandbox.LoadSeed("""
            {
              "secretKeys": ["sk_test_seeded"],
              "organizations": [
                {
                  "id": "org_seed",
                  "roles": ["org:admin", "org:member", "org:billing"],
                  "members": [
                    { "userId": "user_admin", "role": "org:admin" },
                    { "userId": "user_scim", "role": "org:member", "managedByDirectory": true },
                    { "userId": "user_plain", "role": "org:member" }
                  ]
                }
              ]
            }
            """);
        using var seeded = harness.NewClient(key: "sk_test_seeded");

        Assert.Equal("org:admin", harness.Sandbox.GetRole("org_seed", "user_admin"));
        Assert.Equal(["sk_test_seeded"], harness.Sandbox.SecretKeys);
        await ClerkAssert.ErrorAsync(await harness.SetRoleAsync("org_seed", "user_plain", "org:billing"), HttpStatusCode.Unauthorized, "clerk_key_invalid");
        await ClerkAssert.JsonAsync(await harness.SetRoleAsync("org_seed", "user_plain", "org:billing", seeded));
        await ClerkAssert.ErrorAsync(
            await harness.SetRoleAsync("org_seed", "user_scim", "org:billing", seeded), HttpStatusCode.Conflict, "organization_membership_managed_by_scim");
    }

    [Fact]
    public async Task GetMemberships_lists_every_membership_in_creation_order_with_its_current_role()
    {
        await using var harness = await SandboxHarness.StartAsync();
        harness.Sandbox.LoadSeed("""
            {"organizations":[
              {"id":"org_b","members":[{"userId":"user_1","role":"org:admin"},{"userId":"user_2","role":"org:member"}]},
              {"id":"org_a","members":[{"userId":"user_3","role":"org:member"}]}]}
            """);

        await ClerkAssert.JsonAsync(await harness.SetRoleAsync("org_b", "user_2", "org:admin"));

        Assert.Equal(
            [new("org_b", "user_1", "org:admin"), new("org_b", "user_2", "org:admin"), new SandboxMembership("org_a", "user_3", "org:member")],
            harness.Sandbox.GetMemberships());
    }

    [Fact]
    public async Task LoadSeed_without_keys_keeps_the_current_ones()
    {
        await using var harness = await SandboxHarness.StartAsync();

        harness.Sandbox.LoadSeed("""{"organizations":[{"id":"org_1","members":[{"userId":"user_1","role":"org:member"}]}]}""");

        Assert.Equal([SandboxHarness.Key], harness.Sandbox.SecretKeys);
        Assert.Equal("org:member", harness.Sandbox.GetRole("org_1", "user_1"));
    }

    [Theory]
    [InlineData("""{"organizations":[{"id":"org_1","members":[{"role":"org:member"}]}]}""")]
    [InlineData("""{"organizations":[{"id":"org_1","members":[{"user_id":"user_1","role":"org:member"}]}]}""")]
    [InlineData("""{"organizations":[{"roles":["org:admin"]}]}""")]
    [InlineData("""{"organizations":""")]
    [InlineData("null")]
    public async Task LoadSeed_rejects_malformed_seeds(string json)
    {
        await using var harness = await SandboxHarness.StartAsync();

        Assert.ThrowsAny<JsonException>(() => harness.Sandbox.LoadSeed(json));
    }
}
