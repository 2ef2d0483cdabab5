using RoleSync.Guard;
using RoleSync.History;

namespace RoleSync.Core.Tests.Guard;

/// <summary>The bulk-change guard on one host (Guard:MaxPerWindow 3 here): the threshold, the sliding window, what it leaves alone.</summary>
public sealed class BulkChangeGuardTests
{
    [Fact]
    public async Task Exactly_at_the_limit_every_change_goes_on_and_the_one_over_it_and_every_later_one_is_held()
    {
        using var rig = new GuardRig();

        for (int i = 1; i <= 3; i++)
        {
            Assert.Equal(Outcome.Applied, (await rig.RemoveAsync($"e{i}", $"user_{i}")).Outcome);
        }
        var fourth = await rig.RemoveAsync("e4", "user_4");
        rig.Time.Advance(TimeSpan.FromMinutes(59)); // still the same hour, and the org is holding anyway
        var fifth = await rig.RemoveAsync("e5", "user_5");

        Assert.Equal(["e1", "e2", "e3"], rig.Processed);
        foreach (var held in new[] { fourth, fifth })
        {
            Assert.Equal(Outcome.Transient, held.Outcome);
            Assert.Equal(Reasons.HeldForApproval, held.Reason);
            Assert.Equal(TimeSpan.FromMinutes(1), held.RetryAfter);
        }
        Assert.Equal(2, rig.HeldMetric.GetMeasurementSnapshot().Sum(m => m.Value));
        var entry = Assert.Single((await rig.History.ListAsync(rig.Org, "user_4", 10)).Entries);
        Assert.Equal(HistoryOutcome.Held, entry.Outcome);
        Assert.Equal(Reasons.HeldForApproval, entry.Reason);

        var summary = Assert.Single(await rig.Holds.ListAsync());
        Assert.Equal(rig.Org, summary.OrganizationId);
        Assert.Equal(2, summary.Count);
        Assert.Equal(["e4", "e5"], summary.Sample.Select(h => h.EventId));
        Assert.Equal(GuardRig.Start, summary.FirstHeldAt);
        Assert.Equal(GuardRig.Start.AddMinutes(59), summary.LastHeldAt);
    }

    [Fact]
    public async Task A_held_change_delivered_again_stays_held_without_a_second_hold_or_metric()
    {
        using var rig = new GuardRig(options: new GuardOptions { MaxPerWindow = 1 });
        await rig.RemoveAsync("e1", "user_1");

        await rig.RemoveAsync("e2", "user_2");
        rig.Time.Advance(TimeSpan.FromMinutes(1));
        var again = await rig.RemoveAsync("e2", "user_2");

        Assert.Equal(Reasons.HeldForApproval, again.Reason);
        Assert.Equal(1, rig.HeldMetric.GetMeasurementSnapshot().Sum(m => m.Value));
        Assert.Equal(1, Assert.Single(await rig.Holds.ListAsync()).Count);
    }

    /// <summary>
    /// Model check seed 154 ('handled'): a held demotion came back after newer removals had moved the ledger's desired
    /// role off org:admin, was no longer privilege-reducing, and went on while the operator still saw it held.
    /// </summary>
    [Fact]
    public async Task A_held_change_that_is_no_longer_reducing_still_waits_for_the_operator()
    {
        using var rig = new GuardRig(options: new GuardOptions { MaxPerWindow = 1 });
        await rig.SeedAsync("user_admin", "org:admin");
        await rig.RemoveAsync("e1", "user_1");
        Assert.Equal(Reasons.HeldForApproval, (await rig.SetRoleAsync("d1", "user_admin", "org:member")).Reason);

        var record = (await rig.Ledger.GetAsync(rig.Org, "user_admin"))!; // a newer change: the desired role is no longer protected
        Assert.NotNull(await rig.Ledger.TryWriteAsync(record with { NewestEventId = "n1", NewestRole = "org:billing", AppliedEventId = "n1", AppliedRole = "org:billing" }));
        var change = new RoleChange("d1", GuardRig.Start, rig.Org, "user_admin", "org:member", null, null);
        Assert.False(await rig.Guard.IsReducingAsync(change));
        var again = await rig.SetRoleAsync("d1", "user_admin", "org:member");

        Assert.Equal(Reasons.HeldForApproval, again.Reason);
        Assert.Equal(["e1"], rig.Processed);
        await rig.Holds.ApproveAsync(rig.Org, "alice");
        Assert.Equal(Outcome.Applied, (await rig.SetRoleAsync("d1", "user_admin", "org:member")).Outcome);
        Assert.Equal(["e1", "d1"], rig.Processed);
    }

    [Fact]
    public async Task The_window_slides_changes_older_than_it_no_longer_count()
    {
        using var rig = new GuardRig();
        await rig.RemoveAsync("e1", "user_1");
        await rig.RemoveAsync("e2", "user_2");
        rig.Time.Advance(TimeSpan.FromMinutes(40));
        await rig.RemoveAsync("e3", "user_3");

        rig.Time.Advance(TimeSpan.FromMinutes(21)); // e1 and e2 are now more than an hour old; e3 is not
        Assert.Equal(Outcome.Applied, (await rig.RemoveAsync("e4", "user_4")).Outcome);
        Assert.Equal(Outcome.Applied, (await rig.RemoveAsync("e5", "user_5")).Outcome);
        Assert.Equal(Reasons.HeldForApproval, (await rig.RemoveAsync("e6", "user_6")).Reason);
    }

    [Fact]
    public async Task A_redelivered_counted_change_is_not_counted_twice()
    {
        using var rig = new GuardRig();
        await rig.RemoveAsync("e1", "user_1");
        await rig.RemoveAsync("e1", "user_1");
        await rig.RemoveAsync("e1", "user_1");

        Assert.Equal(Outcome.Applied, (await rig.RemoveAsync("e2", "user_2")).Outcome);
        Assert.Equal(Outcome.Applied, (await rig.RemoveAsync("e3", "user_3")).Outcome);
    }

    [Fact]
    public async Task Promotions_changes_of_unprotected_members_and_other_organizations_go_on_while_an_organization_is_holding()
    {
        using var rig = new GuardRig();
        await rig.SeedAsync("user_admin1", "org:admin");
        await rig.SeedAsync("user_admin2", "org:admin");
        await rig.SeedAsync("user_member1", "org:member");
        for (int i = 1; i <= 4; i++)
        {
            await rig.RemoveAsync($"e{i}", $"user_{i}");
        }

        Assert.Equal(Outcome.Applied, (await rig.SetRoleAsync("p1", "user_member1", "org:admin")).Outcome); // a promotion
        Assert.Equal(Outcome.Applied, (await rig.SetRoleAsync("p2", "user_member1", "org:billing")).Outcome); // not away from a protected role
        Assert.Equal(Outcome.Applied, (await rig.SetRoleAsync("p3", "user_unknown", "org:member")).Outcome); // the ledger knows no role
        Assert.Equal(Outcome.Applied, (await rig.RemoveAsync("o1", "user_1", org: rig.Org + "other")).Outcome);
        Assert.Equal(Reasons.HeldForApproval, (await rig.SetRoleAsync("d1", "user_admin1", "org:member")).Reason); // a demotion

        Assert.True(await rig.Guard.IsReducingAsync(new RoleChange("x", GuardRig.Start, rig.Org, "user_admin2", "org:member", null, null)));
        Assert.False(await rig.Guard.IsReducingAsync(new RoleChange("x", GuardRig.Start, rig.Org, "user_admin2", "org:admin", null, null)));
    }

    [Fact]
    public async Task Demotions_away_from_a_protected_role_count_toward_the_limit()
    {
        using var rig = new GuardRig();
        for (int i = 1; i <= 4; i++)
        {
            await rig.SeedAsync($"user_admin{i}", "org:admin");
        }

        for (int i = 1; i <= 3; i++)
        {
            Assert.Equal(Outcome.Applied, (await rig.SetRoleAsync($"d{i}", $"user_admin{i}", "org:member")).Outcome);
        }
        Assert.Equal(Reasons.HeldForApproval, (await rig.SetRoleAsync("d4", "user_admin4", "org:member")).Reason);
    }

    [Fact]
    public async Task A_disabled_guard_holds_nothing()
    {
        using var rig = new GuardRig(options: new GuardOptions { Enabled = false, MaxPerWindow = 1 });
        for (int i = 1; i <= 5; i++)
        {
            Assert.Equal(Outcome.Applied, (await rig.RemoveAsync($"e{i}", $"user_{i}")).Outcome);
        }
    }
}
