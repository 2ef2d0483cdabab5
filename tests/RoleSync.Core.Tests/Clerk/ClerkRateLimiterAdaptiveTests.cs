using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using RoleSync.Clerk;

namespace RoleSync.Core.Tests.Clerk;

public sealed class ClerkRateLimiterAdaptiveTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(5);

    private static ClerkRateLimiter Create(FakeTimeProvider time, int? budget = null, int hosts = 1) =>
        new(Options.Create(new ClerkBudgetOptions { RequestsPer10Seconds = budget }), Options.Create(new ScaleOutOptions { MaxInstances = hosts }), time);

    [Theory]
    [InlineData(null, 1, true, 500)]
    [InlineData(null, 1, false, 50)]
    [InlineData(null, 4, true, 125)]
    [InlineData(null, 4, false, 12)]
    [InlineData(1000, 8, true, 125)]
    [InlineData(100, 200, false, 1)]
    public void Each_host_gets_the_budget_divided_by_the_max_instances(int? budget, int hosts, bool live, int expected)
    {
        using var limiter = Create(new FakeTimeProvider(), budget, hosts);
        Assert.Equal(expected, limiter.BudgetFor(live));
    }

    [Fact]
    public void The_defaults_are_half_of_clerks_limits()
    {
        Assert.Equal(500, ClerkRateLimiter.LiveDefault);
        Assert.Equal(50, ClerkRateLimiter.TestDefault);
    }

    [Fact]
    public async Task A_429_pauses_every_request_for_the_retry_after()
    {
        var time = new FakeTimeProvider();
        using var limiter = Create(time, budget: 100);
        limiter.OnTooManyRequests(liveKey: true, TimeSpan.FromSeconds(2));
        // The bucket held 5 permits: emptied, so even the first request waits.
        var waiting = Enumerable.Range(0, 3).Select(_ => limiter.AcquireAsync(true, CancellationToken.None).AsTask()).ToList();
        time.Advance(TimeSpan.FromSeconds(1.9));
        Assert.All(waiting, task => Assert.False(task.IsCompleted));
        time.Advance(TimeSpan.FromSeconds(1));
        foreach (var task in waiting)
        {
            Assert.True((await task.WaitAsync(Wait)).IsAcquired);
        }
        Assert.Equal(time.GetUtcNow() - TimeSpan.FromSeconds(0.9), limiter.PausedUntil(true));
    }

    [Fact]
    public void A_429_on_one_key_kind_does_not_pause_the_other()
    {
        var time = new FakeTimeProvider();
        using var limiter = Create(time, budget: 100);
        limiter.OnTooManyRequests(liveKey: true, TimeSpan.FromSeconds(5));
        Assert.True(limiter.AcquireAsync(false, CancellationToken.None).IsCompletedSuccessfully);
    }

    [Fact]
    public void After_a_429_the_rate_halves_then_recovers_a_tenth_of_the_share_per_window_up_to_the_share()
    {
        var time = new FakeTimeProvider();
        using var limiter = Create(time, budget: 400, hosts: 2); // share 200
        Assert.Equal(200, limiter.CurrentRateFor(true));
        limiter.OnTooManyRequests(true, TimeSpan.FromSeconds(1));
        Assert.Equal(100, limiter.CurrentRateFor(true));
        limiter.OnTooManyRequests(true, TimeSpan.FromSeconds(1)); // the same burst: one signal
        Assert.Equal(100, limiter.CurrentRateFor(true));
        time.Advance(TimeSpan.FromSeconds(9.5));
        Assert.Equal(100, limiter.CurrentRateFor(true));
        time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(120, limiter.CurrentRateFor(true));
        time.Advance(TimeSpan.FromSeconds(10));
        Assert.Equal(140, limiter.CurrentRateFor(true));
        time.Advance(TimeSpan.FromSeconds(100));
        Assert.Equal(200, limiter.CurrentRateFor(true)); // bounded by the share
        limiter.OnTooManyRequests(true, null);
        Assert.Equal(100, limiter.CurrentRateFor(true));
        limiter.OnTooManyRequests(true, null);
        time.Advance(TimeSpan.FromSeconds(11)); // one quiet window: 120
        limiter.OnTooManyRequests(true, null); // a window later: halves again
        Assert.Equal(60, limiter.CurrentRateFor(true));
    }

    [Fact]
    public async Task Writes_to_one_membership_wait_after_ten_in_ten_seconds_and_others_do_not()
    {
        var time = new FakeTimeProvider();
        using var limiter = Create(time);
        const string member = "organizations/org_1/memberships/user_1";
        for (int i = 0; i < 10; i++)
        {
            Assert.True(limiter.AcquireAsync(true, member, CancellationToken.None).IsCompletedSuccessfully);
        }
        var eleventh = limiter.AcquireAsync(true, member, CancellationToken.None).AsTask();
        var twelfth = limiter.AcquireAsync(true, member, CancellationToken.None).AsTask();
        Assert.True(limiter.AcquireAsync(true, "organizations/org_1/memberships/user_2", CancellationToken.None).IsCompletedSuccessfully);
        Assert.True(limiter.AcquireAsync(true, null, CancellationToken.None).IsCompletedSuccessfully); // a read
        time.Advance(TimeSpan.FromSeconds(9.9));
        Assert.False(eleventh.IsCompleted);
        time.Advance(TimeSpan.FromSeconds(0.1));
        Assert.True((await eleventh.WaitAsync(Wait)).IsAcquired);
        Assert.True((await twelfth.WaitAsync(Wait)).IsAcquired);
    }

    [Fact]
    public void A_budget_above_clerks_limit_lifts_the_membership_limit()
    {
        using var limiter = Create(new FakeTimeProvider(), budget: 100_000);
        Assert.False(limiter.MembershipLimitApplies);
        for (int i = 0; i < 20; i++)
        {
            Assert.True(limiter.AcquireAsync(true, "organizations/org_1/memberships/user_1", CancellationToken.None).IsCompletedSuccessfully);
        }
    }

    [Fact]
    public async Task A_request_whose_caller_gives_up_while_waiting_is_refused_and_costs_no_permit()
    {
        var time = new FakeTimeProvider();
        using var limiter = Create(time, budget: 100); // bucket of 5, 1 per 100 ms
        for (int i = 0; i < 5; i++)
        {
            Assert.True((await limiter.AcquireAsync(true, CancellationToken.None)).IsAcquired);
        }
        using var giveUp = new CancellationTokenSource();
        var abandoned = limiter.AcquireAsync(true, giveUp.Token).AsTask();
        var next = limiter.AcquireAsync(true, CancellationToken.None).AsTask();
        giveUp.Cancel();
        Assert.False((await abandoned.WaitAsync(Wait)).IsAcquired);
        time.Advance(TimeSpan.FromMilliseconds(100)); // one token: for the next in line, not the one that left
        Assert.True((await next.WaitAsync(Wait)).IsAcquired);
    }

    [Theory]
    [InlineData(100, false)]
    [InlineData(500, false)]
    [InlineData(50, false)]
    [InlineData(100, true)]
    [InlineData(500, true)]
    public void Under_backlog_each_window_grants_the_current_rate(int budget, bool afterA429)
    {
        var time = new FakeTimeProvider();
        using var limiter = Create(time, budget: budget);
        if (afterA429)
        {
            limiter.OnTooManyRequests(true, TimeSpan.FromSeconds(1));
            time.Advance(TimeSpan.FromSeconds(1));
        }
        var rate = limiter.CurrentRateFor(true);
        // Whatever the bucket holds now is granted at once; count what the next windows grant to a standing backlog.
        var waiting = Enumerable.Range(0, budget * 3).Select(_ => limiter.AcquireAsync(true, CancellationToken.None).AsTask()).ToList();
        int before = waiting.Count(t => t.IsCompleted);
        for (int i = 0; i < 90; i++)
        {
            time.Advance(TimeSpan.FromMilliseconds(100)); // 9 s: within the first window after the 429, no additive increase yet
        }
        int granted = waiting.Count(t => t.IsCompleted) - before;
        Assert.InRange(granted, (int)(rate * 0.9) - 1, (int)(rate * 0.9) + 1);
    }
}
