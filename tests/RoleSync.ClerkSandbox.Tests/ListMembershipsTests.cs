namespace RoleSync.ClerkSandbox.Tests;

public sealed class ListMembershipsTests
{
    [Fact]
    public async Task Filters_by_repeated_user_id()
    {
        await using var harness = await Seeded();

        var list = await ClerkAssert.JsonAsync(await harness.ListAsync("org_1", "?user_id=user_1&user_id=user_3&user_id=user_unknown"));

        Assert.Equal(2, list.GetProperty("total_count").GetInt32());
        Assert.Equal(["user_1", "user_3"], UserIds(list));
        Assert.Equal(["org:admin", "org:billing"], list.GetProperty("data").EnumerateArray().Select(m => m.GetProperty("role").GetString()));
        Assert.All(list.GetProperty("data").EnumerateArray(), m => Assert.Equal("organization_membership", m.GetProperty("object").GetString()));
    }

    [Fact]
    public async Task Without_filter_pages_with_limit_and_offset_in_creation_order()
    {
        await using var harness = await Seeded();

        var all = await ClerkAssert.JsonAsync(await harness.ListAsync("org_1"));
        var page = await ClerkAssert.JsonAsync(await harness.ListAsync("org_1", "?limit=1&offset=1"));
        var none = await ClerkAssert.JsonAsync(await harness.ListAsync("org_1", "?user_id=user_nobody"));

        Assert.Equal(3, all.GetProperty("total_count").GetInt32());
        Assert.Equal(["user_1", "user_2", "user_3"], UserIds(all));
        Assert.Equal(3, page.GetProperty("total_count").GetInt32());
        Assert.Equal(["user_2"], UserIds(page));
        Assert.Equal(0, none.GetProperty("total_count").GetInt32());
        Assert.Empty(UserIds(none));
    }

    [Fact]
    public async Task Default_limit_is_ten()
    {
        await using var harness = await SandboxHarness.StartAsync();
        for (int i = 0; i < 12; i++)
        {
            harness.Sandbox.AddMember("org_1", $"user_{i}", "org:member");
        }

        var list = await ClerkAssert.JsonAsync(await harness.ListAsync("org_1"));

        Assert.Equal(12, list.GetProperty("total_count").GetInt32());
        Assert.Equal(10, list.GetProperty("data").GetArrayLength());
    }

    [Fact]
    public async Task A_filter_pages_too_and_a_page_holds_up_to_500()
    {
        await using var harness = await SandboxHarness.StartAsync();
        for (int i = 0; i < 501; i++)
        {
            harness.Sandbox.AddMember("org_1", $"user_{i}", "org:member");
        }

        var full = await ClerkAssert.JsonAsync(await harness.ListAsync("org_1", "?limit=500"));
        var rest = await ClerkAssert.JsonAsync(await harness.ListAsync("org_1", "?limit=500&offset=500"));
        var filtered = await ClerkAssert.JsonAsync(await harness.ListAsync("org_1", "?user_id=user_7&user_id=user_3&user_id=user_5&limit=1&offset=1"));

        Assert.Equal((501, 500), (full.GetProperty("total_count").GetInt32(), full.GetProperty("data").GetArrayLength()));
        Assert.Equal(["user_500"], UserIds(rest));
        Assert.Equal(3, filtered.GetProperty("total_count").GetInt32());
        Assert.Equal(["user_5"], UserIds(filtered)); // creation order: 3, 5, 7
    }

    [Fact]
    public async Task Up_to_100_user_ids_are_taken_and_101_are_unprocessable()
    {
        await using var harness = await Seeded();
        string Filter(int count) => "?limit=100&" + string.Join("&", Enumerable.Range(0, count).Select(i => $"user_id=user_{i}"));

        var hundred = await ClerkAssert.JsonAsync(await harness.ListAsync("org_1", Filter(100)));

        Assert.Equal(["user_1", "user_2", "user_3"], UserIds(hundred));
        await ClerkAssert.ErrorAsync(await harness.ListAsync("org_1", Filter(101)), HttpStatusCode.UnprocessableEntity, "form_param_value_invalid", "user_id");
    }

    [Theory]
    [InlineData("?limit=0", "limit")]
    [InlineData("?limit=501", "limit")]
    [InlineData("?limit=ten", "limit")]
    [InlineData("?offset=-1", "offset")]
    public async Task Invalid_paging_is_unprocessable(string query, string paramName)
    {
        await using var harness = await Seeded();

        await ClerkAssert.ErrorAsync(await harness.ListAsync("org_1", query), HttpStatusCode.UnprocessableEntity, "form_param_value_invalid", paramName);
    }

    [Fact]
    public async Task Unknown_organization_is_not_found()
    {
        await using var harness = await Seeded();

        await ClerkAssert.ErrorAsync(await harness.ListAsync("org_2", "?user_id=user_1"), HttpStatusCode.NotFound, "resource_not_found");
    }

    private static Task<SandboxHarness> Seeded() =>
        SandboxHarness.StartWithMembersAsync(("user_1", "org:admin"), ("user_2", "org:member"), ("user_3", "org:billing"));

    private static string[] UserIds(JsonElement list) =>
        [.. list.GetProperty("data").EnumerateArray().Select(m => m.GetProperty("public_user_data").GetProperty("user_id").GetString() ?? "")];
}
