using RoleSync.Audit;

namespace RoleSync.Core.Tests.Audit;

/// <summary>The behaviour every <see cref="IOperatorAuditLog"/> must have; run against both implementations.</summary>
public abstract class AuditLogContractTests
{
    private static readonly DateTimeOffset Day1 = new(2026, 11, 30, 23, 59, 0, TimeSpan.Zero);

    protected abstract Task<IOperatorAuditLog> CreateAsync();

    private static OperatorAuditRecord Record(DateTimeOffset at, string who = "o-1") =>
        new(OperatorAuditRecord.NewId(at), at, who, "Alice", "ReplayDeadLetters", "POST", "/api/dead-letters/replay?x=1",
            "{\"sequenceNumbers\":[1]}", false, OperatorAuditStatus.Started);

    [Fact]
    public async Task A_record_is_written_then_replaced_with_its_result_and_reads_back_whole()
    {
        var log = await CreateAsync();
        var started = Record(Day1.AddTicks(1234567));
        await log.WriteAsync(started);
        var completed = started with
        {
            Status = OperatorAuditStatus.Completed,
            CompletedAt = Day1.AddSeconds(3),
            StatusCode = 200,
            Result = "{\"replayed\":1}",
            ResultTruncated = true,
            SelectionTruncated = true,
        };

        await log.WriteAsync(completed);
        var page = await log.ListAsync(Day1.AddHours(-1), Day1.AddHours(1), 10, null);

        Assert.Equal(completed, Assert.Single(page.Items));
        Assert.Null(page.ContinuationToken);
    }

    [Fact]
    public async Task Records_are_listed_oldest_first_across_days_within_the_window_and_paged()
    {
        var log = await CreateAsync();
        var times = new[] { -120, -2, -1, 1, 2, 120 }.Select(m => Day1.AddMinutes(m)).ToList(); // crosses midnight
        foreach (var at in times.AsEnumerable().Reverse())
        {
            await log.WriteAsync(Record(at));
        }

        var first = await log.ListAsync(Day1.AddMinutes(-2), Day1.AddMinutes(2), 2, null);
        var second = await log.ListAsync(Day1.AddMinutes(-2), Day1.AddMinutes(2), 2, first.ContinuationToken);

        Assert.Equal(times[1..3], first.Items.Select(r => r.StartedAt));
        Assert.NotNull(first.ContinuationToken);
        Assert.Equal(times[3..4], second.Items.Select(r => r.StartedAt)); // to is exclusive
        Assert.Null(second.ContinuationToken);
    }

    [Fact]
    public async Task Records_at_the_same_instant_are_kept_apart()
    {
        var log = await CreateAsync();
        await log.WriteAsync(Record(Day1, "o-1"));
        await log.WriteAsync(Record(Day1, "o-2"));

        var page = await log.ListAsync(Day1, Day1.AddTicks(1), 10, null);

        Assert.Equal(["o-1", "o-2"], page.Items.Select(r => r.PrincipalObjectId).Order());
    }
}

public sealed class InMemoryAuditLogContractTests : AuditLogContractTests
{
    protected override Task<IOperatorAuditLog> CreateAsync() => Task.FromResult<IOperatorAuditLog>(new InMemoryOperatorAuditLog());
}

public sealed class TableAuditLogContractTests : AuditLogContractTests
{
    protected override async Task<IOperatorAuditLog> CreateAsync() =>
        new TableOperatorAuditLog(new TableClient(await Azurite.GetConnectionStringAsync(), Azurite.NewTableName("audit")));
}

public sealed class OperatorAuditRecordTests
{
    [Fact]
    public void Ids_sort_by_time_name_their_day_and_are_recognised()
    {
        var at = new DateTimeOffset(2026, 12, 1, 23, 0, 0, TimeSpan.FromHours(2)); // 21:00 UTC
        var id = OperatorAuditRecord.NewId(at);

        Assert.True(OperatorAuditRecord.IsValidId(id));
        Assert.Equal("20261201", OperatorAuditRecord.Day(id));
        Assert.True(string.CompareOrdinal(id, OperatorAuditRecord.NewId(at.AddTicks(1))) < 0);
        Assert.StartsWith(OperatorAuditRecord.IdPrefix(at), id);
        Assert.False(OperatorAuditRecord.IsValidId(null));
        Assert.False(OperatorAuditRecord.IsValidId("abc"));
        Assert.False(OperatorAuditRecord.IsValidId(id.ToUpperInvariant().Replace('-', '_')));
        Assert.False(OperatorAuditRecord.IsValidId("x" + id[1..]));
    }
}
