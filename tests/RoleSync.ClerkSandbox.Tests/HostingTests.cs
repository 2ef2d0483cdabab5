namespace RoleSync.ClerkSandbox.Tests;

public sealed class HostingTests
{
    [Fact]
    public async Task Binds_loopback_on_a_free_port_per_sandbox()
    {
        await using var first = await ClerkSandbox.StartAsync();
        await using var second = await ClerkSandbox.StartAsync();

        Assert.Equal("127.0.0.1", first.BaseUrl.Host);
        Assert.Equal("/", first.BaseUrl.AbsolutePath);
        Assert.NotEqual(0, first.BaseUrl.Port);
        Assert.NotEqual(first.BaseUrl.Port, second.BaseUrl.Port);
    }

    [Fact]
    public async Task Explicit_port_is_used()
    {
        int port;
        await using (var probe = await ClerkSandbox.StartAsync())
        {
            port = probe.BaseUrl.Port;
        }

        await using var sandbox = await ClerkSandbox.StartAsync(new ClerkSandboxOptions { Port = port });

        Assert.Equal(new Uri($"http://127.0.0.1:{port}/"), sandbox.BaseUrl);
    }

    [Theory]
    [InlineData("GET", "/v1/users/user_1")]
    [InlineData("PUT", "/v1/organizations/org_1/memberships/user_1")]
    [InlineData("GET", "/v1/organizations/org_1/memberships/user_1")]
    [InlineData("PATCH", "/v1/organizations/org_1/memberships/user_1/metadata")]
    [InlineData("GET", "/favicon.ico")]
    public async Task Anything_else_is_a_clerk_shaped_404(string method, string path)
    {
        await using var harness = await SandboxHarness.StartAsync();
        harness.Sandbox.AddMember("org_1", "user_1", "org:member");

        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        await ClerkAssert.ErrorAsync(await harness.Http.SendAsync(request), HttpStatusCode.NotFound, "resource_not_found");

        Assert.Equal("org:member", harness.Sandbox.GetRole("org_1", "user_1"));
    }

    [Theory]
    [InlineData(new string[0], 0, null)]
    [InlineData(new[] { "--port", "5081", "--seed", "samples/sandbox-seed.json" }, 5081, "samples/sandbox-seed.json")]
    public void Command_line_parses_port_and_seed(string[] args, int port, string? seed)
    {
        var commandLine = CommandLine.Parse(args, out string? error);

        Assert.Null(error);
        Assert.Equal(new CommandLine(port, seed), commandLine);
    }

    [Theory]
    [InlineData("--port")]
    [InlineData("--port", "x")]
    [InlineData("--port", "70000")]
    [InlineData("--seed")]
    [InlineData("--verbose")]
    public void Command_line_rejects_bad_arguments(params string[] args)
    {
        Assert.Null(CommandLine.Parse(args, out string? error));
        Assert.False(string.IsNullOrEmpty(error));
    }
}
