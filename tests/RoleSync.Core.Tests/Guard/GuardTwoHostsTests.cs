using RoleSync.Guard;

namespace RoleSync.Core.Tests.Guard;

/// <summary>Two hosts (two guards, each with its own <see cref="TableGuardStore"/>) on one Azurite table share one count.</summary>
public sealed class GuardTwoHostsTests
{
    [Fact]
    public async Task Two_hosts_on_one_table_share_the_count_so_scale_out_cannot_slip_past_the_limit()
    {
        var connection = await Azurite.GetConnectionStringAsync();
        var table = Azurite.NewTableName("guard");
        var time = new FakeTimeProvider(GuardRig.Start);
        using var a = new GuardRig(new TableGuardStore(new TableClient(connection, table)), new GuardOptions { MaxPerWindow = 5 }, time);
        using var b = new GuardRig(new TableGuardStore(new TableClient(connection, table)), new GuardOptions { MaxPerWindow = 5 }, time);

        var results = await Task.WhenAll(Enumerable.Range(1, 12).Select(i => (i % 2 == 0 ? a : b).RemoveAsync($"e{i}", $"user_{i}", org: "org_shared")));

        Assert.Equal(5, results.Count(r => r.Outcome == Outcome.Applied));
        Assert.Equal(7, results.Count(r => r.Reason == Reasons.HeldForApproval));
        var summary = Assert.Single(await b.Holds.ListAsync("org_shared"));
        Assert.Equal(7, summary.Count);
        Assert.Equal(Enumerable.Range(1, 7).Select(i => (long)i), (await a.Store.ListHoldsAsync("org_shared").ToListAsync()).Select(h => h.Sequence).Order());

        var approved = await a.Holds.ApproveAsync("org_shared", "alice@example.com");
        Assert.Equal(7, approved.Count);
        var held = results.Select((r, i) => (r, i: i + 1)).Where(x => x.r.Reason == Reasons.HeldForApproval).Select(x => x.i).ToList();
        foreach (var i in held)
        {
            Assert.Equal(Outcome.Applied, (await b.RemoveAsync($"e{i}", $"user_{i}", org: "org_shared")).Outcome);
        }
        Assert.Empty(await a.Holds.ListAsync());
    }
}
