using static RoleSync.Testing.Messages;
using static RoleSync.Testing.RoleSyncHarness;

namespace RoleSync.Core.Tests.Processing;

/// <summary>
/// A 404/403/401 without Clerk's error shape (no <c>errors[]</c> code, no <c>clerk_trace_id</c>, no <c>cf-ray</c>) comes
/// from a proxy, a gateway or a wrong <c>Clerk:ApiUrl</c>, not from Clerk: the change is not rejected, it is retried.
/// </summary>
public sealed class NotClerkErrorTests
{
    [Theory]
    [InlineData(404, ProxyPage.Html)]
    [InlineData(404, ProxyPage.Json)]
    [InlineData(403, ProxyPage.PlainText)]
    [InlineData(401, ProxyPage.Html)]
    [InlineData(401, ProxyPage.Json)]
    public async Task A_proxy_error_is_transient_clerk_unavailable_and_the_change_applies_when_retried(int status, ProxyPage page)
    {
        await using var h = await StartAsync();
        h.Clerk.FailNextLikeAProxy(1, status, page);

        var first = await h.Processor.ProcessAsync(Bytes(Plain("evt-1", role: "org:billing")));

        Assert.Equal(Outcome.Transient, first.Outcome);
        Assert.Equal(Reasons.ClerkUnavailable, first.Reason);
        Assert.Contains($"{status}", first.Detail);
        Assert.Contains("not from Clerk", first.Detail);
        var record = await h.Ledger.GetAsync(OrgId, MemberId);
        Assert.Null(record!.RejectedEventId);
        Assert.Equal("org:member", h.Clerk.GetRole(OrgId, MemberId));

        var retry = await h.Processor.ProcessAsync(Bytes(Plain("evt-1", role: "org:billing")));

        Assert.Equal(Outcome.Applied, retry.Outcome);
        Assert.Equal("org:billing", h.Clerk.GetRole(OrgId, MemberId));
    }

    [Fact]
    public async Task Clerks_own_404_with_only_a_cf_ray_header_is_still_a_rejection()
    {
        await using var h = await StartAsync();
        h.Clerk.OmitTraceId = true;

        var result = await h.Processor.ProcessAsync(Bytes(Plain("evt-1", userId: "user_nope")));

        Assert.Equal(Outcome.Rejected, result.Outcome);
        Assert.Equal(Reasons.MembershipNotFound, result.Reason);
    }

    [Fact]
    public async Task A_proxy_401_does_not_make_rolesync_read_the_key_again()
    {
        await using var h = await StartAsync(useKeyVault: true);
        await h.Processor.ProcessAsync(Bytes(Plain("evt-1", role: "org:billing"))); // reads and caches the key
        h.Clerk.FailNextLikeAProxy(1, 401);

        var result = await h.Processor.ProcessAsync(Bytes(Plain("evt-2", BaseTime.AddMinutes(1), role: "org:admin")));

        Assert.Equal(Outcome.Transient, result.Outcome);
        Assert.Equal(Reasons.ClerkUnavailable, result.Reason);
        Assert.Equal(1, h.Vault!.SecretReads);
        Assert.Equal(2, h.Clerk.PatchCount);
    }
}
