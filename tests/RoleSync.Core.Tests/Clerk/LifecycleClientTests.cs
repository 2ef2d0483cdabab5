using System.Net;
using static RoleSync.Testing.RoleSyncHarness;

namespace RoleSync.Core.Tests.Clerk;

/// <summary>Create and delete memberships, find users: the requests sent and Clerk's answers read, against the sandbox.</summary>
public sealed class LifecycleClientTests
{
    [Fact]
    public async Task Creates_a_membership_and_reads_Clerks_refusals()
    {
        await using var h = await StartAsync();
        h.Clerk.AddUser("user_joiner");

        var created = await h.ClerkClient.CreateMembershipAsync(OrgId, "user_joiner", "org:billing");
        var again = await h.ClerkClient.CreateMembershipAsync(OrgId, "user_joiner", "org:member");
        var badRole = await h.ClerkClient.CreateMembershipAsync(OrgId, "user_2nobody", "org:member");
        h.Clerk.SetMaxMembers(OrgId, 3);
        h.Clerk.AddUser("user_late");
        var full = await h.ClerkClient.CreateMembershipAsync(OrgId, "user_late", "org:member");

        Assert.True(created.IsSuccess, created.Error?.ToString());
        Assert.Equal(("user_joiner", "org:billing", OrgId), (created.Membership!.UserId, created.Membership.Role, created.Membership.OrganizationId));
        Assert.Equal("org:billing", h.Clerk.GetRole(OrgId, "user_joiner"));
        Assert.Equal((400, "already_a_member_in_organization", true), (again.Error!.StatusCode, again.Error.Code, again.Error.FromClerk));
        Assert.Equal((404, "resource_not_found"), (badRole.Error!.StatusCode, badRole.Error.Code));
        Assert.Equal((403, "organization_membership_quota_exceeded"), (full.Error!.StatusCode, full.Error.Code));
        var request = h.Clerk.Requests[0];
        Assert.Equal(("POST", $"/v1/organizations/{OrgId}/memberships"), (request.Method, request.Path));
        Assert.Equal("""{"user_id":"user_joiner","role":"org:billing"}""", request.Body);
    }

    [Fact]
    public async Task Deletes_a_membership_then_answers_404()
    {
        await using var h = await StartAsync();

        var deleted = await h.ClerkClient.DeleteMembershipAsync(OrgId, MemberId);
        var gone = await h.ClerkClient.DeleteMembershipAsync(OrgId, MemberId);
        var lastAdmin = await h.ClerkClient.DeleteMembershipAsync(OrgId, AdminId);

        Assert.True(deleted.IsSuccess, deleted.Error?.ToString());
        Assert.Equal((MemberId, "org:member"), (deleted.Membership!.UserId, deleted.Membership.Role));
        Assert.Null(h.Clerk.GetRole(OrgId, MemberId));
        Assert.Equal((404, "resource_not_found"), (gone.Error!.StatusCode, gone.Error.Code));
        Assert.Equal((400, "organization_minimum_permissions_needed"), (lastAdmin.Error!.StatusCode, lastAdmin.Error.Code));
        Assert.Equal(("DELETE", $"/v1/organizations/{OrgId}/memberships/{MemberId}"), (h.Clerk.Requests[0].Method, h.Clerk.Requests[0].Path));
    }

    [Fact]
    public async Task Finds_users_by_email_and_external_id_with_the_values_url_encoded()
    {
        await using var h = await StartAsync();
        h.Clerk.AddUser("user_ada", "WD 1&2=3", "Ada+HR@Example.com");
        h.Clerk.AddUser("user_bob", null, "bob@example.com");
        h.Clerk.AddUser("user_bob2", null, "BOB@example.com");

        var byEmail = await h.ClerkClient.FindUsersAsync(ClerkUserFilter.EmailAddress, ["ada+hr@example.com"]);
        var byExternal = await h.ClerkClient.FindUsersAsync(ClerkUserFilter.ExternalId, ["WD 1&2=3"]);
        var two = await h.ClerkClient.FindUsersAsync(ClerkUserFilter.EmailAddress, ["bob@example.com"]);
        var none = await h.ClerkClient.FindUsersAsync(ClerkUserFilter.ExternalId, ["WD-404"]);

        Assert.Equal("user_ada", Assert.Single(byEmail.Users).Id);
        Assert.Equal(["Ada+HR@Example.com"], byEmail.Users[0].EmailAddresses);
        Assert.Equal("user_ada", Assert.Single(byExternal.Users).Id);
        Assert.Equal(["user_bob", "user_bob2"], two.Users.Select(u => u.Id));
        Assert.True(none.IsSuccess);
        Assert.Empty(none.Users);
        Assert.Equal("?email_address=ada%2Bhr%40example.com&limit=10", h.Clerk.Requests[0].QueryString);
        Assert.Equal("?external_id=WD%201%262%3D3&limit=10", h.Clerk.Requests[1].QueryString);
        Assert.Equal("/v1/users", h.Clerk.Requests[0].Path);
    }

    [Theory]
    [InlineData(ClerkUserFilter.UserId, "user_../x")]
    [InlineData(ClerkUserFilter.ExternalId, "")]
    [InlineData(ClerkUserFilter.ExternalId, "a\nb")]
    [InlineData(ClerkUserFilter.EmailAddress, "no-at-sign")]
    [InlineData(ClerkUserFilter.EmailAddress, "a b@example.com")]
    public async Task Invalid_values_never_reach_a_url(ClerkUserFilter filter, string value)
    {
        await using var h = await StartAsync();

        await Assert.ThrowsAsync<ArgumentException>(() => h.ClerkClient.FindUsersAsync(filter, [value]));
        await Assert.ThrowsAsync<ArgumentException>(() => h.ClerkClient.CreateMembershipAsync(OrgId, "user_../x", "org:member"));
        await Assert.ThrowsAsync<ArgumentException>(() => h.ClerkClient.CreateMembershipAsync(OrgId, MemberId, "admin"));
        await Assert.ThrowsAsync<ArgumentException>(() => h.ClerkClient.DeleteMembershipAsync("org_a/b", MemberId));
        Assert.Empty(h.Clerk.Requests);
    }

    [Theory]
    [InlineData("""[{"id":"user_other","external_id":"E-2","email_addresses":[]}]""")]
    [InlineData("""[{"id":"../x","external_id":"E-1"}]""")]
    [InlineData("""{"data":[],"total_count":0}""")]
    public async Task An_answer_that_ignored_the_filter_is_unreadable(string body)
    {
        using var http = new HttpClient(new Canned(body)) { BaseAddress = new Uri("https://clerk.invalid/") };
        var client = new ClerkClient(http, new ConfiguredClerkSecretProvider(new ClerkSecret(SecretKey)), TimeProvider.System);

        var result = await client.FindUsersAsync(ClerkUserFilter.ExternalId, ["E-1"]);

        Assert.Equal((200, ClerkError.UnreadableResponse), (result.Error?.StatusCode, result.Error?.Code));
    }

    [Fact]
    public async Task A_failed_lookup_is_an_error_not_an_empty_answer()
    {
        await using var h = await StartAsync(settings: new Dictionary<string, string?> { ["Clerk:MaxRetryAttempts"] = "0" });
        h.Clerk.FailNext(1, 503);

        var result = await h.ClerkClient.FindUsersAsync(ClerkUserFilter.EmailAddress, ["ada@example.com"]);

        Assert.Equal(503, result.Error?.StatusCode);
        Assert.Empty(result.Users);
    }

    private sealed class Canned(string body) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(body, Encoding.UTF8, "application/json") });
    }
}
