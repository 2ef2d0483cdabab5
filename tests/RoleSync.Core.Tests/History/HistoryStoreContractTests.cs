using Microsoft.Extensions.Logging.Abstractions;
using RoleSync.History;
using static RoleSync.Testing.RoleSyncHarness;

namespace RoleSync.Core.Tests.History;

/// <summary>What every <see cref="IMembershipHistory"/> does: newest first, continuation paging, idempotent appends, retention, tallies.</summary>
public abstract class HistoryStoreContractTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    protected abstract Task<IMembershipHistory> CreateAsync();

    private static MembershipHistoryEntry Entry(string eventId, DateTimeOffset effectiveAt, DateTimeOffset? recordedAt = null, string userId = MemberId,
        HistoryOutcome outcome = HistoryOutcome.Applied, int attempt = 1, string? reason = null) =>
        new(OrgId, userId, eventId, effectiveAt, effectiveAt, "org:admin", "workday", null, outcome, reason, null, null, recordedAt ?? effectiveAt,
            EntryPoint.Operator, "alice@contoso.com", attempt);

    [Fact]
    public async Task Entries_are_listed_newest_first_and_paged_with_the_continuation_token()
    {
        var history = await CreateAsync();
        for (int i = 0; i < 7; i++)
        {
            await history.AppendAsync(Entry($"evt-{i}", T0.AddMinutes(i)));
        }
        await history.AppendAsync(Entry("other", T0, userId: AdminId));

        var seen = new List<string>();
        string? token = null;
        var sizes = new List<int>();
        do
        {
            var page = await history.ListAsync(OrgId, MemberId, 3, token);
            sizes.Add(page.Entries.Count);
            seen.AddRange(page.Entries.Select(e => e.EventId));
            token = page.ContinuationToken;
        }
        while (token is not null && sizes.Count < 10);

        Assert.Equal(["evt-6", "evt-5", "evt-4", "evt-3", "evt-2", "evt-1", "evt-0"], seen);
        Assert.Equal([3, 3], sizes.Take(2));
        var first = (await history.ListAsync(OrgId, MemberId, 1)).Entries.Single();
        Assert.Equal(Entry("evt-6", T0.AddMinutes(6)), first);
    }

    [Fact]
    public async Task An_unknown_membership_has_an_empty_history()
    {
        var page = await (await CreateAsync()).ListAsync(OrgId, "user_nobody", 50);

        Assert.Empty(page.Entries);
        Assert.Null(page.ContinuationToken);
    }

    [Fact]
    public async Task The_same_entry_appended_twice_is_one_entry_other_outcomes_and_attempts_are_others()
    {
        var history = await CreateAsync();

        await history.AppendAsync(Entry("evt-1", T0));
        await history.AppendAsync(Entry("evt-1", T0, recordedAt: T0.AddSeconds(5)));
        await history.AppendAsync(Entry("evt-1", T0, outcome: HistoryOutcome.Retried, attempt: 1));
        await history.AppendAsync(Entry("evt-1", T0, outcome: HistoryOutcome.Retried, attempt: 2));

        var entries = (await history.ListAsync(OrgId, MemberId, 50)).Entries;
        Assert.Equal(3, entries.Count);
        Assert.Equal(T0.AddSeconds(5), entries.Single(e => e.Outcome == HistoryOutcome.Applied).RecordedAt);
    }

    [Fact]
    public async Task The_retention_sweep_deletes_what_was_recorded_longer_ago_than_RetentionDays_at_most_daily()
    {
        var history = await CreateAsync();
        var time = new FakeTimeProvider(T0);
        var retention = new HistoryRetention(history, Options.Create(new HistoryOptions { RetentionDays = 400 }), time, NullLogger<HistoryRetention>.Instance);
        await history.AppendAsync(Entry("old", T0));
        await history.AppendAsync(Entry("newer", T0.AddDays(100)));

        time.Advance(TimeSpan.FromDays(399));
        Assert.Equal(0, await retention.SweepIfDueAsync());
        time.Advance(TimeSpan.FromDays(2)); // day 401: "old" is past 400 days
        Assert.Equal(1, await retention.SweepIfDueAsync());
        Assert.Equal(["newer"], (await history.ListAsync(OrgId, MemberId, 50)).Entries.Select(e => e.EventId));

        time.Advance(TimeSpan.FromDays(99) + TimeSpan.FromHours(23)); // day 500 23h: "newer" (day 100) is past 400 days
        Assert.Equal(1, await retention.SweepIfDueAsync());
        time.Advance(TimeSpan.FromHours(23)); // less than a day after the last sweep: not due
        Assert.Null(await retention.SweepIfDueAsync());
        Assert.Empty((await history.ListAsync(OrgId, MemberId, 50)).Entries);
    }

    [Fact]
    public async Task The_tally_marks_every_membership_s_entries_since_its_start_and_counts_each_window_from_the_same_marks()
    {
        var history = await CreateAsync();
        var now = T0.AddDays(10);
        (HistoryOutcome Outcome, string? Reason, TimeSpan Ago)[] entries =
        [
            (HistoryOutcome.Applied, null, TimeSpan.FromMinutes(5)),
            (HistoryOutcome.Applied, null, TimeSpan.FromHours(3)),
            (HistoryOutcome.Stale, null, TimeSpan.FromMinutes(10)),
            (HistoryOutcome.Duplicate, null, TimeSpan.FromHours(2)),
            (HistoryOutcome.Rejected, Reasons.RoleNotFound, TimeSpan.FromMinutes(1)),
            (HistoryOutcome.Rejected, Reasons.RetriesExhausted, TimeSpan.FromMinutes(2)),
            (HistoryOutcome.Rejected, Reasons.RetriesExhausted, TimeSpan.FromHours(5)),
            (HistoryOutcome.Retried, Reasons.ClerkUnavailable, TimeSpan.FromMinutes(3)),
            (HistoryOutcome.Held, Reasons.HeldForApproval, TimeSpan.FromHours(20)),
            (HistoryOutcome.RepairedByVerification, null, TimeSpan.FromMinutes(30)),
            (HistoryOutcome.RepairedByReconcile, null, TimeSpan.FromHours(23)),
            (HistoryOutcome.Applied, null, TimeSpan.FromHours(25)), // before the day: not read
        ];
        for (int i = 0; i < entries.Length; i++)
        {
            var (outcome, reason, ago) = entries[i];
            await history.AppendAsync(Entry($"evt-{i}", now - ago, userId: i % 2 == 0 ? MemberId : AdminId, outcome: outcome, reason: reason));
        }

        var tally = await history.TallySinceAsync(now.AddDays(-1), 100);
        var hour = tally.Window("last-hour", now.AddHours(-1));
        var day = tally.Window("last-day", now.AddDays(-1));

        Assert.Equal((11, false), (tally.Marks.Count, tally.Truncated));
        Assert.Equal(new HistoryWindow("last-hour", now.AddHours(-1), Processed: 4, Applied: 1, Stale: 1, Duplicate: 0, Rejected: 1, RetriesExhausted: 1,
            DeadLettered: 2, Retried: 1, Held: 0, Repaired: 1), hour);
        Assert.Equal(new HistoryWindow("last-day", now.AddDays(-1), Processed: 7, Applied: 2, Stale: 1, Duplicate: 1, Rejected: 1, RetriesExhausted: 2,
            DeadLettered: 3, Retried: 1, Held: 1, Repaired: 2), day);
        var capped = await history.TallySinceAsync(now.AddDays(-1), 4);
        Assert.Equal((4, true), (capped.Marks.Count, capped.Truncated));
        var exact = await history.TallySinceAsync(now.AddDays(-1), 11);
        Assert.Equal((11, false), (exact.Marks.Count, exact.Truncated));
    }

    [Fact]
    public async Task A_redelivery_in_a_later_hour_is_one_mark_counted_when_it_was_last_recorded()
    {
        var history = await CreateAsync();
        var now = T0.AddDays(10);
        await history.AppendAsync(Entry("evt-1", now.AddHours(-3)));
        await history.AppendAsync(Entry("evt-1", now.AddHours(-3), recordedAt: now.AddMinutes(-30))); // redelivered, 2.5 h later
        await history.AppendAsync(Entry("evt-2", now.AddHours(-2), outcome: HistoryOutcome.Stale));

        var tally = await history.TallySinceAsync(now.AddDays(-1), 100);

        Assert.Equal((2, false), (tally.Marks.Count, tally.Truncated));
        var hour = tally.Window("last-hour", now.AddHours(-1));
        var day = tally.Window("last-day", now.AddDays(-1));
        Assert.Equal((1, 1, 0), (hour.Processed, hour.Applied, hour.Stale)); // evt-2, 2 h ago, is in the day only
        Assert.Equal((2, 1, 1), (day.Processed, day.Applied, day.Stale));
        var capped = await history.TallySinceAsync(now.AddDays(-1), 2);
        Assert.Equal((2, false), (capped.Marks.Count, capped.Truncated));
    }

    [Fact]
    public async Task Retention_deletes_what_the_tally_reads_and_counts_entries_only()
    {
        var history = await CreateAsync();
        await history.AppendAsync(Entry("old", T0));
        await history.AppendAsync(Entry("old-retried", T0, outcome: HistoryOutcome.Retried, reason: Reasons.ClerkUnavailable));
        await history.AppendAsync(Entry("newer", T0.AddDays(100)));

        Assert.Equal(2, await history.DeleteOlderThanAsync(T0.AddDays(1)));

        var tally = await history.TallySinceAsync(T0.AddDays(-1), 100);
        Assert.Equal([T0.AddDays(100)], tally.Marks.Select(m => m.RecordedAt));
        Assert.Equal(0, await history.DeleteOlderThanAsync(T0.AddDays(1)));
    }

    [Fact]
    public async Task A_listing_never_shows_tally_rows()
    {
        var history = await CreateAsync();
        await history.AppendAsync(Entry("evt-1", T0));

        var hour = HistoryKeys.TallyPartition(T0)["tally|".Length..];
        var page = await history.ListAsync("tally", hour, 50);

        Assert.Equal("tally|2026010100", HistoryKeys.TallyPartition(T0));
        Assert.Empty(page.Entries);
        Assert.Single((await history.ListAsync(OrgId, MemberId, 50)).Entries);
    }
}

/// <summary>The contract on the in-memory history.</summary>
public sealed class InMemoryHistoryContractTests : HistoryStoreContractTests
{
    protected override Task<IMembershipHistory> CreateAsync() => Task.FromResult<IMembershipHistory>(new InMemoryMembershipHistory());
}

/// <summary>The contract on the Table Storage history (Azurite).</summary>
public sealed class TableHistoryContractTests : HistoryStoreContractTests
{
    protected override async Task<IMembershipHistory> CreateAsync() =>
        new TableMembershipHistory(new TableClient(await Azurite.GetConnectionStringAsync(), Azurite.NewTableName("histc")));
}
