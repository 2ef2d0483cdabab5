using System.Net;
using static RoleSync.Testing.RoleSyncHarness;

namespace RoleSync.Core.Tests.Clerk;

/// <summary>The bulk reads the reconciler and verification use: up to 100 users per GET, or pages of the whole organization.</summary>
public sealed class ListMembershipsClientTests
{
    [Fact]
    public async Task Reads_the_memberships_of_many_users_in_one_request()
    {
        await using var h = await StartAsync();

        var result = await h.ClerkClient.ListMembershipsAsync(OrgId, [MemberId, "user_stranger", AdminId, MemberId]);

        Assert.True(result.IsSuccess, result.Error?.ToString());
        Assert.Equal(2, result.TotalCount);
        Assert.Equal([(AdminId, "org:admin"), (MemberId, "org:member")], result.Memberships.Select(m => (m.UserId, m.Role)).Order());
        Assert.All(result.Memberships, m => Assert.Equal(OrgId, m.OrganizationId));
        Assert.All(result.Memberships, m => Assert.StartsWith("orgmem_", m.Id));
        var request = Assert.Single(h.Clerk.Requests);
        Assert.Equal(("GET", $"/v1/organizations/{OrgId}/memberships"), (request.Method, request.Path));
        Assert.Equal($"?user_id={MemberId}&user_id=user_stranger&user_id={AdminId}&limit=100", request.QueryString);
    }

    [Fact]
    public async Task A_hundred_users_take_one_request()
    {
        await using var h = await StartAsync();
        var users = Enumerable.Range(0, 100).Select(i => $"user_bulk{i}").ToList();
        foreach (var user in users)
        {
            h.Clerk.AddMember(OrgId, user, "org:billing");
        }

        var result = await h.ClerkClient.ListMembershipsAsync(OrgId, users);

        Assert.True(result.IsSuccess, result.Error?.ToString());
        Assert.Equal(users.Order(), result.Memberships.Select(m => m.UserId).Order());
        Assert.Single(h.Clerk.Requests);
    }

    [Fact]
    public async Task Pages_through_the_whole_organization()
    {
        await using var h = await StartAsync();
        for (int i = 0; i < 5; i++)
        {
            h.Clerk.AddMember(OrgId, $"user_page{i}", "org:member");
        }

        var seen = new List<string>();
        for (int offset = 0; ; offset += 3)
        {
            var page = await h.ClerkClient.ListMembershipsPageAsync(OrgId, offset, limit: 3);
            Assert.True(page.IsSuccess, page.Error?.ToString());
            Assert.Equal(7, page.TotalCount);
            seen.AddRange(page.Memberships.Select(m => m.UserId));
            if (offset + page.Memberships.Count >= page.TotalCount)
            {
                break;
            }
        }

        Assert.Equal([AdminId, MemberId, "user_page0", "user_page1", "user_page2", "user_page3", "user_page4"], seen);
        Assert.Equal(["?limit=3&offset=0", "?limit=3&offset=3", "?limit=3&offset=6"], h.Clerk.Requests.Select(r => r.QueryString));
        await h.ClerkClient.ListMembershipsPageAsync(OrgId, 0);
        Assert.Equal("?limit=500&offset=0", h.Clerk.Requests[^1].QueryString);
    }

    [Fact]
    public async Task Bad_arguments_never_reach_a_url()
    {
        await using var h = await StartAsync();
        var tooMany = Enumerable.Range(0, 101).Select(i => $"user_{i}").ToList();

        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => h.ClerkClient.ListMembershipsAsync(OrgId, tooMany));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => h.ClerkClient.ListMembershipsAsync(OrgId, []));
        await Assert.ThrowsAsync<ArgumentException>(() => h.ClerkClient.ListMembershipsAsync(OrgId, [MemberId, "user_a&user_id=b"]));
        await Assert.ThrowsAsync<ArgumentException>(() => h.ClerkClient.ListMembershipsAsync("org_../x", [MemberId]));
        await Assert.ThrowsAsync<ArgumentException>(() => h.ClerkClient.ListMembershipsPageAsync("org_a/b", 0));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => h.ClerkClient.ListMembershipsPageAsync(OrgId, 0, limit: 501));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => h.ClerkClient.ListMembershipsPageAsync(OrgId, 0, limit: 0));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => h.ClerkClient.ListMembershipsPageAsync(OrgId, -1));
        Assert.Empty(h.Clerk.Requests);
    }

    [Fact]
    public async Task Errors_come_back_as_clerk_errors_through_the_same_resilience()
    {
        await using var h = await StartAsync();

        var unknown = await h.ClerkClient.ListMembershipsAsync("org_nope", [MemberId]);
        h.Clerk.FailNext(1, 503);
        var retried = await h.ClerkClient.ListMembershipsPageAsync(OrgId, 0);
        h.Clerk.FailNextLikeAProxy(1, 404);
        var proxy = await h.ClerkClient.ListMembershipsAsync(OrgId, [MemberId]);
        h.Clerk.SetSecretKeys("sk_test_another_fake_key");
        var unauthorized = await h.ClerkClient.ListMembershipsPageAsync(OrgId, 0);

        Assert.Equal((404, "resource_not_found", true), (unknown.Error!.StatusCode, unknown.Error.Code, unknown.Error.FromClerk));
        Assert.Empty(unknown.Memberships);
        Assert.True(retried.IsSuccess, retried.Error?.ToString());
        Assert.Equal((404, false), (proxy.Error!.StatusCode, proxy.Error.FromClerk));
        Assert.Equal((401, "clerk_key_invalid"), (unauthorized.Error!.StatusCode, unauthorized.Error.Code));
    }

    [Theory]
    [InlineData("""{"data":[{"id":"orgmem_1","role":"org:admin","organization":{"id":"org_a"},"public_user_data":{"user_id":"user_other"}}],"total_count":1}""")]
    [InlineData("""{"data":[],"total_count":1}""")]
    [InlineData("""{"data":[{"id":"orgmem_1","role":"org:admin","organization":{"id":"org_b"},"public_user_data":{"user_id":"user_a"}}],"total_count":1}""")]
    [InlineData("""{"data":[{"id":"orgmem_1","role":"org:admin"}],"total_count":1}""")]
    [InlineData("""<html>OK</html>""")]
    public async Task An_answer_that_ignored_the_filter_is_unreadable_not_a_list_of_non_members(string body)
    {
        using var http = new HttpClient(new Canned(body)) { BaseAddress = new Uri("https://clerk.invalid/") };
        var client = new ClerkClient(http, new ConfiguredClerkSecretProvider(new ClerkSecret(SecretKey)), TimeProvider.System);

        var result = await client.ListMembershipsAsync("org_a", ["user_a"]);

        Assert.Equal((200, ClerkError.UnreadableResponse), (result.Error?.StatusCode, result.Error?.Code));
    }

    private sealed class Canned(string body) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(body, Encoding.UTF8, "application/json") });
    }
}
