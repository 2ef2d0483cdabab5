using static RoleSync.Testing.RoleSyncHarness;

namespace RoleSync.Core.Tests.Clerk;

/// <summary>
/// <see cref="ClerkResult.Ambiguous"/>: a PATCH attempt that went unanswered may still be applied by Clerk later, even
/// when the call then succeeded on a retry. Late PATCHes come from the sandbox's <c>HoldPatches</c>; the client's attempt
/// timeout runs on a <see cref="FakeTimeProvider"/> that a test advances once the sandbox holds the attempt.
/// </summary>
public sealed class AmbiguousWriteTests
{
    private static readonly TimeSpan AttemptTimeout = TimeSpan.FromSeconds(5);

    private readonly FakeTimeProvider _time = new(DateTimeOffset.UtcNow);

    private Task<RoleSyncHarness> StartAsync(int retries) => RoleSyncHarness.StartAsync(
        settings: new Dictionary<string, string?>
        {
            ["Clerk:AttemptTimeout"] = AttemptTimeout.ToString(),
            ["Clerk:MaxRetryAttempts"] = $"{retries}",
            ["Clerk:RetryBaseDelay"] = "00:00:00", // a retry goes out at once, without a timer to advance
        },
        timeProvider: _time);

    /// <summary>Sends the PATCH and lets its held attempt time out: the sandbox signals the hold, the fake clock strikes.</summary>
    private async Task<ClerkResult> PatchTimingOutAsync(RoleSyncHarness h, PatchHold hold, string role)
    {
        var call = h.ClerkClient.UpdateMembershipRoleAsync(OrgId, MemberId, role);
        await hold.WhenHeldAsync();
        _time.Advance(AttemptTimeout);
        return await call;
    }

    [Fact]
    public async Task A_patch_that_timed_out_then_succeeded_on_retry_is_ambiguous()
    {
        await using var h = await StartAsync(retries: 1);
        using var hold = h.Clerk.HoldPatches(OrgId, MemberId);

        var result = await PatchTimingOutAsync(h, hold, "org:billing");

        Assert.True(result.IsSuccess, result.Error?.ToString());
        Assert.True(result.Ambiguous);
        Assert.Equal([(0, true), (200, false)], h.Clerk.Requests.Select(r => (r.StatusCode, r.Held)));
    }

    [Fact]
    public async Task The_unanswered_attempt_of_a_successful_call_can_land_after_a_newer_change()
    {
        await using var h = await StartAsync(retries: 1);
        h.Clerk.AddMember(OrgId, MemberId, "org:billing");
        using var hold = h.Clerk.HoldPatches(OrgId, MemberId);
        hold.LandAfter(2); // after its own retry and the newer change below

        var older = await PatchTimingOutAsync(h, hold, "org:admin");
        var newer = await h.ClerkClient.UpdateMembershipRoleAsync(OrgId, MemberId, "org:member");

        Assert.True(older.IsSuccess && newer.IsSuccess);
        Assert.True(older.Ambiguous); // the only hint that Clerk may not stay on org:member
        Assert.False(newer.Ambiguous);
        Assert.Equal("org:admin", Assert.Single(await hold.Landed).Role);
        Assert.Equal("org:admin", h.Clerk.GetRole(OrgId, MemberId));
    }

    [Fact]
    public async Task A_dropped_connection_then_success_is_ambiguous()
    {
        await using var h = await StartAsync(retries: 1);
        h.Clerk.DropNext(1);

        var result = await h.ClerkClient.UpdateMembershipRoleAsync(OrgId, MemberId, "org:billing");

        Assert.True(result.IsSuccess, result.Error?.ToString());
        Assert.True(result.Ambiguous);
    }

    [Fact]
    public async Task A_patch_that_timed_out_for_good_is_ambiguous()
    {
        await using var h = await StartAsync(retries: 0);
        using var hold = h.Clerk.HoldPatches(OrgId, MemberId);

        var result = await PatchTimingOutAsync(h, hold, "org:billing");

        Assert.Equal(ClerkError.Timeout, result.Error!.Code);
        Assert.True(result.Ambiguous);
    }

    [Fact]
    public async Task A_clean_success_and_an_answered_error_then_success_are_not_ambiguous()
    {
        await using var h = await StartAsync(retries: 1);

        var clean = await h.ClerkClient.UpdateMembershipRoleAsync(OrgId, MemberId, "org:billing");
        h.Clerk.FailNext(1, 503);
        var afterOutage = await h.ClerkClient.UpdateMembershipRoleAsync(OrgId, MemberId, "org:admin");
        var rejected = await h.ClerkClient.UpdateMembershipRoleAsync(OrgId, MemberId, "org:ghost");

        Assert.True(clean.IsSuccess);
        Assert.False(clean.Ambiguous);
        Assert.True(afterOutage.IsSuccess, afterOutage.Error?.ToString());
        Assert.False(afterOutage.Ambiguous);
        Assert.False(rejected.Ambiguous);
    }

    [Fact]
    public async Task A_connection_that_was_never_made_is_not_ambiguous()
    {
        await using var h = await RoleSyncHarness.StartAsync(settings: new Dictionary<string, string?>
        {
            ["Clerk:ApiUrl"] = "http://127.0.0.1:9/",
            ["Clerk:MaxRetryAttempts"] = "1",
        });

        var result = await h.ClerkClient.UpdateMembershipRoleAsync(OrgId, MemberId, "org:billing");

        Assert.Equal(ClerkError.NetworkError, result.Error!.Code);
        Assert.False(result.Ambiguous);
    }

    [Fact]
    public async Task A_read_is_never_ambiguous()
    {
        await using var h = await StartAsync(retries: 1);
        h.Clerk.DropNext(1);

        var retried = await h.ClerkClient.GetMembershipAsync(OrgId, MemberId);
        h.Clerk.DropNext(2);
        var failed = await h.ClerkClient.GetMembershipAsync(OrgId, MemberId);

        Assert.True(retried.IsSuccess, retried.Error?.ToString());
        Assert.False(retried.Ambiguous);
        Assert.Equal(ClerkError.NetworkError, failed.Error!.Code);
        Assert.False(failed.Ambiguous);
    }
}
