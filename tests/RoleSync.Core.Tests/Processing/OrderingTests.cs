namespace RoleSync.Core.Tests.Processing;

/// <summary>The pure ordering rule (<see cref="Ordering"/>), table by table, without mocks.</summary>
public sealed class OrderingTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 28, 12, 0, 0, TimeSpan.Zero);

    [Theory]
    // change (eventId, seconds after T0), newest known (eventId, seconds after T0, applied), expected decision
    [InlineData("evt-2", 10, "evt-1", 0, true, typeof(OrderingDecision.New))]         // later
    [InlineData("evt-2", 10, "evt-1", 0, false, typeof(OrderingDecision.New))]        // later than an unapplied newest
    [InlineData("evt-1", 0, "evt-2", 10, true, typeof(OrderingDecision.Stale))]       // earlier
    [InlineData("evt-1", 0, "evt-2", 10, false, typeof(OrderingDecision.Stale))]      // earlier than an unapplied newest
    [InlineData("evt-b", 0, "evt-a", 0, true, typeof(OrderingDecision.New))]          // same instant, greater eventId
    [InlineData("evt-a", 0, "evt-b", 0, true, typeof(OrderingDecision.Stale))]        // same instant, smaller eventId
    [InlineData("evt-B", 0, "evt-a", 0, true, typeof(OrderingDecision.Stale))]        // ordinal: 'B' < 'a'
    [InlineData("evt-1", 0, "evt-1", 0, false, typeof(OrderingDecision.Resume))]      // this change, not applied yet
    [InlineData("evt-1", 0, "evt-1", 0, true, typeof(OrderingDecision.Duplicate))]    // this change, applied
    [InlineData("evt-1", -60, "evt-1", 0, true, typeof(OrderingDecision.Duplicate))]  // the eventId decides, not the time
    [InlineData("evt-1", 60, "evt-1", 0, false, typeof(OrderingDecision.Resume))]
    public void Orders_a_change_against_the_newest_known(string eventId, int seconds, string newestEventId, int newestSeconds, bool applied, Type expected)
    {
        var newest = new NewestChange(newestEventId, T0.AddSeconds(newestSeconds), "org:member", applied);

        var decision = Ordering.Decide(Change(eventId, T0.AddSeconds(seconds)), newest);

        Assert.IsType(expected, decision);
        if (decision is OrderingDecision.Stale stale)
        {
            Assert.Same(newest, stale.Newer);
        }
    }

    [Fact]
    public void A_change_with_nothing_known_is_new()
    {
        Assert.IsType<OrderingDecision.New>(Ordering.Decide(Change("evt-1", T0), (NewestChange?)null));
        Assert.IsType<OrderingDecision.New>(Ordering.Decide(Change("evt-1", T0), (MembershipRecord?)null));
    }

    [Fact]
    public void The_same_instant_in_another_offset_is_the_same_instant()
    {
        var newest = new NewestChange("evt-b", T0, "org:member", Applied: true);

        var decision = Ordering.Decide(Change("evt-a", T0.ToOffset(TimeSpan.FromHours(2))), newest);

        Assert.IsType<OrderingDecision.Stale>(decision);
    }

    [Theory]
    [InlineData("evt-1", "evt-1", typeof(OrderingDecision.Duplicate))] // the newest was applied
    [InlineData("evt-0", "evt-1", typeof(OrderingDecision.Resume))]    // an older change was applied, not the newest
    [InlineData(null, "evt-1", typeof(OrderingDecision.Resume))]       // nothing applied yet
    public void A_ledger_record_gives_its_newest_change(string? appliedEventId, string newestEventId, Type expected)
    {
        var record = new MembershipRecord("org_a", "user_b", newestEventId, T0, "org:admin", "workday", T0, AppliedEventId: appliedEventId);

        Assert.Equal(new NewestChange(newestEventId, T0, "org:admin", appliedEventId == newestEventId), NewestChange.Of(record));
        Assert.IsType(expected, Ordering.Decide(Change("evt-1", T0), record));
    }

    [Fact]
    public void A_stale_change_against_a_record_carries_the_record_s_newest_change()
    {
        var record = new MembershipRecord("org_a", "user_b", "evt-9", T0.AddMinutes(5), "org:admin", null, T0);

        var stale = Assert.IsType<OrderingDecision.Stale>(Ordering.Decide(Change("evt-1", T0), record));

        Assert.Equal(new NewestChange("evt-9", T0.AddMinutes(5), "org:admin", Applied: false), stale.Newer);
    }

    private static RoleChange Change(string eventId, DateTimeOffset occurredAt) =>
        new(eventId, occurredAt, "org_a", "user_b", "org:admin", null, null);
}
