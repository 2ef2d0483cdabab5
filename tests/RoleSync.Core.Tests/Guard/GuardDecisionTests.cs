using RoleSync.Guard;
using RoleSync.History;

namespace RoleSync.Core.Tests.Guard;

/// <summary>An operator's approve and reject of an organization's held changes (Guard:MaxPerWindow 3).</summary>
public sealed class GuardDecisionTests
{
    private static async Task<GuardRig> HoldingThreeAsync()
    {
        var rig = new GuardRig();
        for (int i = 1; i <= 6; i++)
        {
            await rig.RemoveAsync($"e{i}", $"user_{i}");
            rig.Time.Advance(TimeSpan.FromSeconds(10));
        }
        Assert.Equal(["e1", "e2", "e3"], rig.Processed);
        return rig;
    }

    [Fact]
    public async Task Approve_releases_every_held_change_in_order_exactly_once_and_they_do_not_count_again()
    {
        using var rig = await HoldingThreeAsync();

        var approved = await rig.Holds.ApproveAsync(rig.Org, "alice@example.com");

        Assert.Equal(GuardDecision.Approved, approved.Decision);
        Assert.Equal(["e4", "e5", "e6"], approved.EventIds);
        Assert.Empty(await rig.Holds.ListAsync());
        foreach (var id in new[] { "e4", "e5", "e6" })
        {
            Assert.Equal(Outcome.Applied, (await rig.RemoveAsync(id, "user_" + id[1..])).Outcome); // the next delivery of each
        }
        Assert.Equal(["e1", "e2", "e3", "e4", "e5", "e6"], rig.Processed);
        Assert.Equal(0, (await rig.Holds.ApproveAsync(rig.Org, "alice@example.com")).Count); // nothing twice

        // A fresh count: the released changes did not count, so three more go on before the fourth is held.
        for (int i = 7; i <= 9; i++)
        {
            Assert.Equal(Outcome.Applied, (await rig.RemoveAsync($"e{i}", $"user_{i}")).Outcome);
        }
        Assert.Equal(Reasons.HeldForApproval, (await rig.RemoveAsync("e10", "user_10")).Reason);
    }

    [Fact]
    public async Task Approval_covers_a_hold_whose_row_was_not_marked_through_the_organizations_decision()
    {
        using var rig = await HoldingThreeAsync();
        await rig.Holds.ApproveAsync(rig.Org, "alice@example.com");
        var unmarked = (await rig.Store.GetHoldAsync(rig.Org, "e5"))!;
        Assert.NotNull(await rig.Store.TryWriteHoldAsync(unmarked with { Decision = GuardDecision.Held, DecidedBy = null, DecidedAt = null }));

        Assert.Equal(Outcome.Applied, (await rig.RemoveAsync("e5", "user_5")).Outcome);
    }

    [Fact]
    public async Task Reject_dead_letters_every_held_change_as_RejectedByOperator_naming_the_operator()
    {
        using var rig = await HoldingThreeAsync();

        var rejected = await rig.Holds.RejectAsync(rig.Org, "bob@example.com");
        var next = await rig.RemoveAsync("e4", "user_4");

        Assert.Equal(3, rejected.Count);
        Assert.Equal(Outcome.Rejected, next.Outcome);
        Assert.Equal(Reasons.RejectedByOperator, next.Reason);
        Assert.Contains("bob@example.com", next.Detail);
        var deadLetter = Assert.IsType<SettlementDecision.DeadLetter>(SettlementPolicy.Decide(next, 1, new RetryOptions(), rig.Time.GetUtcNow()));
        Assert.Equal(Reasons.RejectedByOperator, deadLetter.Reason);
        Assert.Contains("bob@example.com", deadLetter.Description);
        Assert.Equal(["e1", "e2", "e3"], rig.Processed);
        var entries = (await rig.History.ListAsync(rig.Org, "user_4", 10)).Entries;
        Assert.Contains(entries, e => e.Outcome == HistoryOutcome.Rejected && e.Reason == Reasons.RejectedByOperator);
    }

    [Fact]
    public void A_held_change_is_rescheduled_at_the_same_attempt_and_never_dead_lettered_even_on_the_last_attempt()
    {
        var change = new RoleChange("e1", GuardRig.Start, "org_1", "user_1", "", null, null) { Action = RoleChangeAction.Remove };
        var held = ProcessingResult.Transient(change, Reasons.HeldForApproval, "held", TimeSpan.FromMinutes(1));
        var options = new RetryOptions();

        var decision = SettlementPolicy.Decide(held, options.MaxAttempts, options, GuardRig.Start, throttled: 500);

        var retry = Assert.IsType<SettlementDecision.ScheduleRetry>(decision);
        Assert.Equal(options.MaxAttempts, retry.NextAttempt);
        Assert.Equal(TimeSpan.FromMinutes(1), retry.Delay);
        Assert.Equal(501, retry.Throttled);
    }
}
