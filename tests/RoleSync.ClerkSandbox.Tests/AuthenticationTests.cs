namespace RoleSync.ClerkSandbox.Tests;

public sealed class AuthenticationTests
{
    [Theory]
    [InlineData(null)]
    [InlineData("Basic c2tfdGVzdA==")]
    [InlineData("bearer sk_test_sandbox_fake_key")]
    [InlineData("sk_test_sandbox_fake_key")]
    public async Task Missing_or_non_bearer_header_is_a_format_error(string? authorization)
    {
        await using var harness = await SandboxHarness.StartAsync();
        harness.Sandbox.AddMember("org_1", "user_1", "org:member");
        using var client = harness.NewClient(authorization: authorization);

        await ClerkAssert.ErrorAsync(
            await harness.SetRoleAsync("org_1", "user_1", "org:admin", client), HttpStatusCode.Unauthorized, "authorization_header_format_invalid");
        await ClerkAssert.ErrorAsync(
            await client.GetAsync("/v1/organizations/org_1/memberships"), HttpStatusCode.Unauthorized, "authorization_header_format_invalid");

        Assert.Equal("org:member", harness.Sandbox.GetRole("org_1", "user_1"));
    }

    [Fact]
    public async Task Unknown_key_is_invalid()
    {
        await using var harness = await SandboxHarness.StartAsync();
        harness.Sandbox.AddMember("org_1", "user_1", "org:member");
        using var client = harness.NewClient(key: "sk_test_someone_else");

        await ClerkAssert.ErrorAsync(
            await harness.SetRoleAsync("org_1", "user_1", "org:admin", client), HttpStatusCode.Unauthorized, "clerk_key_invalid");

        Assert.Equal("org:member", harness.Sandbox.GetRole("org_1", "user_1"));
    }

    [Fact]
    public async Task Rotated_keys_replace_the_accepted_ones()
    {
        await using var harness = await SandboxHarness.StartAsync();
        harness.Sandbox.AddMember("org_1", "user_1", "org:member");
        using var rotated = harness.NewClient(key: "sk_test_rotated");

        harness.Sandbox.SetSecretKeys("sk_test_rotated");

        await ClerkAssert.ErrorAsync(await harness.SetRoleAsync("org_1", "user_1", "org:admin"), HttpStatusCode.Unauthorized, "clerk_key_invalid");
        await ClerkAssert.JsonAsync(await harness.SetRoleAsync("org_1", "user_1", "org:admin", rotated));
        Assert.Equal(["sk_test_rotated"], harness.Sandbox.SecretKeys);
    }

    [Fact]
    public async Task Keys_from_options_are_accepted()
    {
        var options = new ClerkSandboxOptions();
        options.SecretKeys.Add("sk_live_second");
        await using var harness = await SandboxHarness.StartAsync(options);
        harness.Sandbox.AddMember("org_1", "user_owner", "org:admin");
        harness.Sandbox.AddMember("org_1", "user_1", "org:member");
        using var second = harness.NewClient(key: "sk_live_second");

        await ClerkAssert.JsonAsync(await harness.SetRoleAsync("org_1", "user_1", "org:admin", second));
        await ClerkAssert.JsonAsync(await harness.SetRoleAsync("org_1", "user_1", "org:member"));
    }
}
