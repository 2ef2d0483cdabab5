namespace RoleSync.ClerkSandbox.Tests;

/// <summary>A sandbox of its own for one test, with an HttpClient that sends the default key.</summary>
internal sealed class SandboxHarness : IAsyncDisposable
{
    public const string Key = "sk_test_sandbox_fake_key";

    /// <summary>A round instant, so fixed windows start on it.</summary>
    public static readonly DateTimeOffset Start = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private SandboxHarness(ClerkSandbox sandbox)
    {
        Sandbox = sandbox;
        Http = NewClient(Key);
    }

    public ClerkSandbox Sandbox { get; }

    public HttpClient Http { get; }

    public static async Task<SandboxHarness> StartAsync(ClerkSandboxOptions? options = null) =>
        new(await ClerkSandbox.StartAsync(options));

    /// <summary>A sandbox with organization <c>org_1</c> (roles org:admin, org:member, org:billing) and these members, in this order.</summary>
    public static async Task<SandboxHarness> StartWithMembersAsync(params (string UserId, string Role)[] members)
    {
        var harness = await StartAsync();
        harness.Sandbox.AddOrganization("org_1", "org:admin", "org:member", "org:billing");
        foreach (var (userId, role) in members)
        {
            harness.Sandbox.AddMember("org_1", userId, role);
        }

        return harness;
    }

    /// <summary>A client on a connection pool of its own; <paramref name="authorization"/> is sent verbatim when given.</summary>
    public HttpClient NewClient(string? key = null, string? authorization = null)
    {
        var client = new HttpClient { BaseAddress = Sandbox.BaseUrl };
        if (key is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }

        if (authorization is not null)
        {
            client.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", authorization);
        }

        return client;
    }

    public static string MembershipPath(string organizationId, string userId) =>
        $"/v1/organizations/{organizationId}/memberships/{userId}";

    public Task<HttpResponseMessage> PatchAsync(string organizationId, string userId, string body, HttpClient? client = null) =>
        (client ?? Http).PatchAsync(MembershipPath(organizationId, userId), new StringContent(body, Encoding.UTF8, "application/json"));

    public Task<HttpResponseMessage> SetRoleAsync(string organizationId, string userId, string role, HttpClient? client = null) =>
        PatchAsync(organizationId, userId, JsonSerializer.Serialize(new Dictionary<string, string> { ["role"] = role }), client);

    public Task<HttpResponseMessage> ListAsync(string organizationId, string query = "") =>
        Http.GetAsync($"/v1/organizations/{organizationId}/memberships{query}");

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await Sandbox.DisposeAsync();
    }
}

internal static class ClerkAssert
{
    /// <summary>Asserts a Clerk error body with one error and returns that error.</summary>
    public static async Task<JsonElement> ErrorAsync(
        HttpResponseMessage response, HttpStatusCode status, string code, string? paramName = null, bool traceId = true)
    {
        Assert.Equal(status, response.StatusCode);
        var root = await JsonAsync(response, status);
        var error = Assert.Single(root.GetProperty("errors").EnumerateArray());
        Assert.Equal(code, error.GetProperty("code").GetString());
        Assert.False(string.IsNullOrWhiteSpace(error.GetProperty("message").GetString()));
        Assert.False(string.IsNullOrWhiteSpace(error.GetProperty("long_message").GetString()));
        if (paramName is null)
        {
            Assert.False(error.TryGetProperty("meta", out _));
        }
        else
        {
            Assert.Equal(paramName, error.GetProperty("meta").GetProperty("param_name").GetString());
        }

        if (traceId)
        {
            Assert.Matches("^[0-9a-f]{32}$", root.GetProperty("clerk_trace_id").GetString());
            Assert.False(response.Headers.Contains("cf-ray"));
        }
        else
        {
            Assert.False(root.TryGetProperty("clerk_trace_id", out _));
            Assert.Matches("^[0-9a-f]{16}-[A-Z]{3}$", Assert.Single(response.Headers.GetValues("cf-ray")));
        }

        return error;
    }

    public static async Task<JsonElement> JsonAsync(HttpResponseMessage response, HttpStatusCode status = HttpStatusCode.OK)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return document.RootElement.Clone();
    }

    public static int RetryAfterSeconds(HttpResponseMessage response) =>
        (int)Assert.IsType<TimeSpan>(response.Headers.RetryAfter?.Delta).TotalSeconds;
}
