using RoleSync.Reconcile;
using static RoleSync.Testing.Messages;
using static RoleSync.Testing.RoleSyncHarness;

namespace RoleSync.Core.Tests.Reconcile;

/// <summary>The reconciler against the Clerk sandbox: in sync, drift reported or repaired, pending changes verified, members gone.</summary>
public sealed class ReconcilerTests
{
    private static async Task<(ReconcileSummary Summary, List<ReconcileItem> Items)> RunAsync(RoleSyncHarness h, ReconcileMode mode, string? organizationId = null)
    {
        var items = new List<ReconcileItem>();
        var summary = await h.Services.GetRequiredService<Reconciler>().RunAsync(mode, organizationId, item =>
        {
            items.Add(item);
            return Task.CompletedTask;
        });
        return (summary, items);
    }

    private static void SetClerkRole(RoleSyncHarness h, string userId, string role)
    {
        h.Clerk.RemoveMember(OrgId, userId);
        h.Clerk.AddMember(OrgId, userId, role);
    }

    [Fact]
    public async Task Memberships_in_sync_are_counted_and_not_listed()
    {
        await using var h = await StartAsync();
        await h.Processor.ProcessAsync(Bytes(Plain("evt-1", role: "org:billing")));
        await h.Processor.ProcessAsync(Bytes(Plain("evt-2", userId: AdminId, role: "org:admin")));

        var (summary, items) = await RunAsync(h, ReconcileMode.Report);

        Assert.Empty(items);
        Assert.Equal((2, 2, true), (summary.Checked, summary.InSync, summary.Converged));
    }

    [Fact]
    public async Task A_role_changed_behind_rolesyncs_back_is_drift_in_report_mode_and_left_alone()
    {
        await using var h = await StartAsync();
        await h.Processor.ProcessAsync(Bytes(Plain("evt-1", role: "org:billing")));
        SetClerkRole(h, MemberId, "org:admin"); // someone used the dashboard

        var (summary, items) = await RunAsync(h, ReconcileMode.Report);

        var item = Assert.Single(items);
        Assert.Equal(new ReconcileItem(OrgId, MemberId, "org:billing", "org:admin", VerifyStatus.Drift), item);
        Assert.Equal((1, false), (summary.Drift, summary.Converged));
        Assert.Equal("org:admin", h.Clerk.GetRole(OrgId, MemberId));
    }

    [Fact]
    public async Task Repair_mode_puts_the_desired_role_back_and_records_the_repair()
    {
        await using var h = await StartAsync();
        await h.Processor.ProcessAsync(Bytes(Plain("evt-1", role: "org:billing")));
        SetClerkRole(h, MemberId, "org:admin");

        var (summary, items) = await RunAsync(h, ReconcileMode.Repair);

        Assert.Equal(VerifyStatus.Repaired, Assert.Single(items).Status);
        Assert.Equal((1, true), (summary.Repaired, summary.Converged));
        Assert.Equal("org:billing", h.Clerk.GetRole(OrgId, MemberId));
        var record = (await h.Ledger.GetAsync(OrgId, MemberId))!;
        Assert.Equal((1, "evt-1"), (record.RepairCount, record.AppliedEventId));
        Assert.Empty((await RunAsync(h, ReconcileMode.Report)).Items); // and stays in sync
    }

    [Fact]
    public async Task A_pending_newest_change_is_verified_not_skipped()
    {
        await using var h = await StartAsync();
        // Claimed as newest, but its worker died before the PATCH (its message would be retried later).
        var change = RoleSync.Contract.RoleChangeParser.Parse(Bytes(Plain("evt-1", role: "org:billing")).Span, DateTimeOffset.UtcNow).Change!;
        await h.Ledger.TryWriteAsync(MembershipRecord.NewestFrom(change, DateTimeOffset.UtcNow));

        var report = await RunAsync(h, ReconcileMode.Report);
        var repair = await RunAsync(h, ReconcileMode.Repair);

        Assert.Equal(new ReconcileItem(OrgId, MemberId, "org:billing", "org:member", VerifyStatus.Drift), Assert.Single(report.Items));
        Assert.Equal(VerifyStatus.Repaired, Assert.Single(repair.Items).Status);
        Assert.Equal("org:billing", h.Clerk.GetRole(OrgId, MemberId));
        Assert.True((await h.Ledger.GetAsync(OrgId, MemberId))!.NewestApplied);
    }

    [Fact]
    public async Task A_member_removed_in_clerk_is_reported_not_a_member()
    {
        await using var h = await StartAsync();
        await h.Processor.ProcessAsync(Bytes(Plain("evt-1", role: "org:billing")));
        h.Clerk.RemoveMember(OrgId, MemberId);

        var (summary, items) = await RunAsync(h, ReconcileMode.Repair);

        Assert.Equal(new ReconcileItem(OrgId, MemberId, "org:billing", null, VerifyStatus.NotAMember), Assert.Single(items));
        Assert.Equal((1, false), (summary.NotAMember, summary.Converged));
    }

    [Fact]
    public async Task The_walk_can_be_limited_to_one_organization()
    {
        const string other = "org_3OtherOrganization0000000001";
        await using var h = await StartAsync();
        h.Clerk.AddOrganization(other, "org:admin", "org:member");
        h.Clerk.AddMember(other, MemberId, "org:member");
        await h.Processor.ProcessAsync(Bytes(Plain("evt-1", role: "org:billing")));
        await h.Processor.ProcessAsync(Bytes(Plain("evt-2", organizationId: other, role: "org:admin")));
        SetClerkRole(h, MemberId, "org:admin");

        var (summary, items) = await RunAsync(h, ReconcileMode.Report, other);

        Assert.Empty(items);
        Assert.Equal(1, summary.Checked);
    }

    [Fact]
    public async Task Clerk_is_read_in_bulk_so_members_in_sync_cost_one_request_per_hundred()
    {
        await using var h = await StartAsync();
        for (int i = 0; i < 150; i++)
        {
            var user = $"user_bulk{i:D4}";
            h.Clerk.AddMember(OrgId, user, "org:member");
            await h.Processor.ProcessAsync(Bytes(Plain($"evt-{i}", userId: user, role: "org:billing")));
        }
        h.Clerk.ClearRequests();

        var (summary, items) = await RunAsync(h, ReconcileMode.Repair);

        Assert.Empty(items);
        Assert.Equal(150, summary.InSync);
        Assert.Equal(2, h.Clerk.Requests.Count); // 100 + 50 users, one GET each
        Assert.All(h.Clerk.Requests, r => Assert.Equal("GET", r.Method));
    }
}
