using Azure.Data.Tables;
using Microsoft.Extensions.DependencyInjection;
using RoleSync.AzureAdapters;
using RoleSync.Processing;
using RoleSync.Reconcile;
using RoleSync.Testing;
using static RoleSync.Testing.Messages;

namespace RoleSync.Core.Tests.Reconcile;

/// <summary>the reconciler over an Azurite ledger holding event-identity rows, two organizations and more than 100 members in one.</summary>
public sealed class ReconcilerAzuriteTests
{
    [Fact]
    public async Task Probe_two_organizations_150_members_and_event_rows_are_walked_exactly_once_and_repaired()
    {
        var ledger = new TableMembershipLedger(new TableClient(await Azurite.GetConnectionStringAsync(), Azurite.NewTableName("rprobe")));
        await using var h = await RoleSyncHarness.StartAsync(ledger: ledger, sandbox: o => { o.InstanceLimit = 0; o.MembershipLimit = 0; });
        const string orgB = "org_2zzzzzzzzzzzzzzzzzzzzzzzzzz";
        h.Clerk.AddOrganization(orgB, "org:admin", "org:member", "org:billing");
        var users = Enumerable.Range(0, 150).Select(i => $"user_probe{i:D4}").ToArray();
        foreach (var u in users)
        {
            h.Clerk.AddMember(RoleSyncHarness.OrgId, u, "org:member");
        }
        h.Clerk.AddMember(orgB, users[0], "org:member");
        for (int i = 0; i < users.Length; i++)
        {
            var r = await h.Processor.ProcessAsync(Bytes(Plain($"evt-a{i}", BaseTime, userId: users[i], role: "org:billing")));
            Assert.Equal(Outcome.Applied, r.Outcome);
        }
        Assert.Equal(Outcome.Applied, (await h.Processor.ProcessAsync(Bytes(Plain("evt-b0", BaseTime, organizationId: orgB, userId: users[0], role: "org:admin")))).Outcome);
        // Drift behind RoleSync's back: the last member of the first org (past the first batch of 100) and the one in orgB.
        h.Clerk.RemoveMember(RoleSyncHarness.OrgId, users[149]);
        h.Clerk.AddMember(RoleSyncHarness.OrgId, users[149], "org:admin");
        h.Clerk.RemoveMember(orgB, users[0]);
        h.Clerk.AddMember(orgB, users[0], "org:member");

        var items = new List<ReconcileItem>();
        var summary = await h.Services.GetRequiredService<Reconciler>().RunAsync(ReconcileMode.Repair, null, i => { items.Add(i); return Task.CompletedTask; });

        Assert.Equal((151, 2, 0), (summary.Checked, summary.Repaired, summary.Failed));
        Assert.Equal("org:billing", h.Clerk.GetRole(RoleSyncHarness.OrgId, users[149]));
        Assert.Equal("org:admin", h.Clerk.GetRole(orgB, users[0]));
    }
}
