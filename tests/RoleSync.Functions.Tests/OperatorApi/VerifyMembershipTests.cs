using static RoleSync.Functions.Tests.OperatorApi.OperatorApiHttp;

namespace RoleSync.Functions.Tests.OperatorApi;

/// <summary>
/// <c>GET /api/memberships/{organizationId}/{userId}/verify</c> against the Clerk sandbox: in sync, drift, not a member,
/// Clerk failing; never a write to Clerk, and the ledger untouched unless Clerk's answer was missing.
/// </summary>
public sealed class VerifyMembershipTests
{
    private static async Task<(int Status, JsonNode Json)> VerifyAsync(RoleSyncHarness h, string organizationId = OrgId, string userId = MemberId)
    {
        var function = new VerifyMembershipFunction(h.Ledger, h.Services.GetRequiredService<MembershipConverger>(), TimeProvider.System);
        var request = Request("GET");
        var (status, _, json) = await Execute(request, await function.RunAsync(request, organizationId, userId, default));
        return (status, json);
    }

    /// <summary>A harness whose ledger holds <see cref="MemberId"/>'s applied change to org:billing; the sandbox's request log then cleared.</summary>
    private static async Task<RoleSyncHarness> StartWithBillingAsync()
    {
        var h = await StartAsync(settings: new Dictionary<string, string?> { ["Clerk:MaxRetryAttempts"] = "1" });
        Assert.Equal(Outcome.Applied, (await h.Processor.ProcessAsync(Bytes(Plain("evt-1", BaseTime, role: "org:billing")))).Outcome);
        h.Clerk.ClearRequests();
        return h;
    }

    /// <summary>Every request since the log was cleared was a GET of the membership (Clerk's state was only read).</summary>
    private static void AssertOnlyReads(RoleSyncHarness h)
    {
        Assert.NotEmpty(h.Clerk.Requests);
        Assert.All(h.Clerk.Requests, r => Assert.Equal("GET", r.Method));
    }

    [Fact]
    public async Task A_membership_holding_the_desired_role_is_in_sync_and_nothing_is_written()
    {
        await using var h = await StartWithBillingAsync();
        var before = await h.Ledger.GetAsync(OrgId, MemberId);

        var (status, json) = await VerifyAsync(h);

        Assert.Equal(200, status);
        Assert.Equal(("in-sync", "org:billing", "org:billing", false), (json["status"]!.GetValue<string>(), json["desiredRole"]!.GetValue<string>(),
            json["clerkRole"]!.GetValue<string>(), json["desiredAbsent"]!.GetValue<bool>()));
        Assert.Equal((OrgId, MemberId), (json["organizationId"]!.GetValue<string>(), json["userId"]!.GetValue<string>()));
        Assert.Null(json["detail"]);
        Assert.True(json["checkedAt"]!.GetValue<DateTimeOffset>() > DateTimeOffset.UtcNow.AddMinutes(-1));
        AssertOnlyReads(h);
        Assert.Equal(before!.ETag, (await h.Ledger.GetAsync(OrgId, MemberId))!.ETag);
    }

    [Fact]
    public async Task A_role_changed_behind_RoleSync_s_back_is_drift_and_stays_as_Clerk_has_it()
    {
        await using var h = await StartWithBillingAsync();
        h.Clerk.AddMember(OrgId, MemberId, "org:admin"); // someone changed it in the Clerk dashboard
        var before = await h.Ledger.GetAsync(OrgId, MemberId);

        var (status, json) = await VerifyAsync(h);

        Assert.Equal(200, status);
        Assert.Equal(("drift", "org:billing", "org:admin"), (json["status"]!.GetValue<string>(), json["desiredRole"]!.GetValue<string>(), json["clerkRole"]!.GetValue<string>()));
        Assert.Equal("org:admin", h.Clerk.GetRole(OrgId, MemberId));
        AssertOnlyReads(h);
        Assert.Equal(before!.ETag, (await h.Ledger.GetAsync(OrgId, MemberId))!.ETag);
    }

    [Fact]
    public async Task A_user_removed_in_Clerk_is_not_a_member_and_is_not_added_back()
    {
        await using var h = await StartWithBillingAsync();
        h.Clerk.RemoveMember(OrgId, MemberId);
        var before = await h.Ledger.GetAsync(OrgId, MemberId);

        var (_, json) = await VerifyAsync(h);

        Assert.Equal("not-a-member", json["status"]!.GetValue<string>());
        Assert.Null(json["clerkRole"]);
        Assert.Equal("org:billing", json["desiredRole"]!.GetValue<string>());
        Assert.Null(h.Clerk.GetRole(OrgId, MemberId));
        AssertOnlyReads(h);
        Assert.Equal(before!.ETag, (await h.Ledger.GetAsync(OrgId, MemberId))!.ETag);
    }

    [Fact]
    public async Task A_removal_is_desired_absence_in_sync_when_the_user_is_gone()
    {
        await using var h = await StartAsync();
        Assert.Equal(Outcome.Applied, (await h.Processor.ProcessAsync(Bytes(Message("evt-1", BaseTime, userId: MemberId, role: null, action: "remove")))).Outcome);

        var (_, json) = await VerifyAsync(h);

        Assert.Equal(("in-sync", true), (json["status"]!.GetValue<string>(), json["desiredAbsent"]!.GetValue<bool>()));
        Assert.Null(json["desiredRole"]);
        Assert.Null(json["clerkRole"]);
    }

    [Fact]
    public async Task Clerk_failing_is_200_with_status_failed_and_its_detail_and_marks_the_record_for_verification()
    {
        await using var h = await StartWithBillingAsync();
        h.Clerk.FailNext(10, 503);

        var (status, json) = await VerifyAsync(h);

        Assert.Equal(200, status);
        Assert.Equal("failed", json["status"]!.GetValue<string>());
        Assert.Equal("org:billing", json["desiredRole"]!.GetValue<string>());
        Assert.Contains("503", json["detail"]!.GetValue<string>());
        Assert.DoesNotContain(SecretKey, json.ToJsonString());
        AssertOnlyReads(h);
        Assert.Equal("org:billing", h.Clerk.GetRole(OrgId, MemberId));
        // The one ledger write of a read-only verify: Clerk's state is unknown, so the next message and the reconciler verify it.
        Assert.True((await h.Ledger.GetAsync(OrgId, MemberId))!.ClerkStateUnknown);
    }

    [Fact]
    public async Task An_unknown_membership_is_404_and_Clerk_is_not_asked()
    {
        await using var h = await StartAsync();

        var (status, json) = await VerifyAsync(h);

        Assert.Equal(404, status);
        Assert.Equal("Unknown membership", json["title"]!.GetValue<string>());
        Assert.Empty(h.Clerk.Requests);
    }

    [Theory]
    [InlineData("org_../x", MemberId, "organizationId")]
    [InlineData(OrgId, "user_a/b", "userId")]
    public async Task Ids_are_validated_before_anything_is_read(string organizationId, string userId, string field)
    {
        await using var h = await StartAsync();

        var (status, json) = await VerifyAsync(h, organizationId, userId);

        Assert.Equal(400, status);
        Assert.StartsWith(field + ":", json["errors"]![0]!.GetValue<string>());
        Assert.Empty(h.Clerk.Requests);
    }
}
