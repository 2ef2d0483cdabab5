namespace RoleSync.Core.Tests.Ledger;

/// <summary>The behaviour every <see cref="IMembershipLedger"/> must have; run against both implementations.</summary>
public abstract class LedgerContractTests
{
    protected abstract Task<IMembershipLedger> CreateLedgerAsync();

    private static readonly DateTimeOffset At = new(2026, 11, 28, 12, 0, 0, TimeSpan.Zero);

    private static RoleChange Change(string eventId, DateTimeOffset at, string role = "org:admin", string user = "user_abc") =>
        new(eventId, at, "org_xyz", user, role, "workday", null);

    [Fact]
    public async Task Missing_record_reads_as_null()
    {
        var ledger = await CreateLedgerAsync();
        Assert.Null(await ledger.GetAsync("org_xyz", "user_nobody"));
    }

    [Fact]
    public async Task Insert_then_read_round_trips_every_field()
    {
        var ledger = await CreateLedgerAsync();
        var occurred = At.AddTicks(1234567); // sub-millisecond precision must survive
        var record = MembershipRecord.NewestFrom(Change("evt-1", occurred), At.AddSeconds(1)) with
        {
            AppliedEventId = "evt-0",
            AppliedRole = "org:member",
            AppliedAt = At.AddSeconds(2),
            RejectedEventId = "evt-x",
            RejectedReason = "RoleNotFound",
            RejectedDetail = "no such role",
            RejectedAt = At.AddSeconds(3),
            ClerkStateUnknown = true,
        };

        var stored = await ledger.TryWriteAsync(record);
        var read = await ledger.GetAsync("org_xyz", "user_abc");

        Assert.NotNull(stored);
        Assert.NotNull(stored.ETag);
        Assert.NotNull(read);
        Assert.Equal(stored.ETag, read.ETag);
        Assert.Equal(record with { ETag = read.ETag }, read);
        Assert.Equal(occurred.UtcTicks, read.NewestOccurredAt.UtcTicks);
    }

    [Fact]
    public async Task Second_insert_of_the_same_membership_loses()
    {
        var ledger = await CreateLedgerAsync();
        var record = MembershipRecord.NewestFrom(Change("evt-1", At), At);
        Assert.NotNull(await ledger.TryWriteAsync(record));
        Assert.Null(await ledger.TryWriteAsync(record with { NewestEventId = "evt-2" }));
        Assert.Equal("evt-1", (await ledger.GetAsync("org_xyz", "user_abc"))!.NewestEventId);
    }

    [Fact]
    public async Task Update_with_current_etag_wins_and_stale_etag_loses()
    {
        var ledger = await CreateLedgerAsync();
        var first = (await ledger.TryWriteAsync(MembershipRecord.NewestFrom(Change("evt-1", At), At)))!;

        var second = await ledger.TryWriteAsync(first.WithNewest(Change("evt-2", At.AddMinutes(1)), At));
        var late = await ledger.TryWriteAsync(first with { AppliedEventId = "evt-1" });

        Assert.NotNull(second);
        Assert.NotEqual(first.ETag, second.ETag);
        Assert.Null(late);
        var read = (await ledger.GetAsync("org_xyz", "user_abc"))!;
        Assert.Equal("evt-2", read.NewestEventId);
        Assert.Null(read.AppliedEventId);
    }

    [Fact]
    public async Task Memberships_are_independent()
    {
        var ledger = await CreateLedgerAsync();
        Assert.NotNull(await ledger.TryWriteAsync(MembershipRecord.NewestFrom(Change("evt-1", At, user: "user_a"), At)));
        Assert.NotNull(await ledger.TryWriteAsync(MembershipRecord.NewestFrom(Change("evt-2", At, user: "user_b"), At)));
        Assert.Equal("evt-1", (await ledger.GetAsync("org_xyz", "user_a"))!.NewestEventId);
        Assert.Equal("evt-2", (await ledger.GetAsync("org_xyz", "user_b"))!.NewestEventId);
    }

    [Fact]
    public async Task Concurrent_conditional_writes_have_exactly_one_winner()
    {
        var ledger = await CreateLedgerAsync();
        var first = (await ledger.TryWriteAsync(MembershipRecord.NewestFrom(Change("evt-0", At), At)))!;

        var results = await Task.WhenAll(Enumerable.Range(1, 8).Select(i =>
            Task.Run(() => ledger.TryWriteAsync(first.WithNewest(Change($"evt-{i}", At.AddMinutes(i)), At)))));

        var winners = results.Where(r => r is not null).ToList();
        Assert.Single(winners);
        Assert.Equal(winners[0]!.NewestEventId, (await ledger.GetAsync("org_xyz", "user_abc"))!.NewestEventId);
    }
}

public sealed class InMemoryLedgerContractTests : LedgerContractTests
{
    protected override Task<IMembershipLedger> CreateLedgerAsync() => Task.FromResult<IMembershipLedger>(new InMemoryMembershipLedger());
}

public sealed class TableLedgerContractTests : LedgerContractTests
{
    protected override async Task<IMembershipLedger> CreateLedgerAsync() =>
        new TableMembershipLedger(new Azure.Data.Tables.TableClient(await Azurite.GetConnectionStringAsync(), Azurite.NewTableName()));

    [Fact]
    public async Task Unreachable_table_service_throws_rather_than_pretending()
    {
        var options = new TableClientOptions();
        options.Retry.MaxRetries = 0;
        var ledger = new TableMembershipLedger(new Azure.Data.Tables.TableClient(
            Azurite.UnreachableConnectionString, "Unreachable", options: options));
        await Assert.ThrowsAnyAsync<Exception>(() => ledger.GetAsync("org_xyz", "user_abc"));
    }
}

public sealed class TableLedgerStartupTests
{
    [Fact]
    public async Task A_failed_table_creation_is_tried_again_on_the_next_call()
    {
        var table = new Moq.Mock<TableClient>(Moq.MockBehavior.Strict);
        int creates = 0;
        table.Setup(t => t.CreateIfNotExistsAsync(Moq.It.IsAny<CancellationToken>()))
            .Returns(() => ++creates == 1
                ? Task.FromException<Azure.Response<Azure.Data.Tables.Models.TableItem>>(new Azure.RequestFailedException(403, "role assignment not propagated yet"))
                : Task.FromResult(Azure.Response.FromValue(Azure.Data.Tables.Models.TableModelFactory.TableItem("t"), Moq.Mock.Of<Azure.Response>())));
        var missing = new Moq.Mock<Azure.NullableResponse<TableEntity>>();
        missing.SetupGet(r => r.HasValue).Returns(false);
        table.Setup(t => t.GetEntityIfExistsAsync<TableEntity>("org_xyz", "user_abc", null, Moq.It.IsAny<CancellationToken>())).Returns(Task.FromResult(missing.Object));
        var ledger = new TableMembershipLedger(table.Object);

        await Assert.ThrowsAsync<Azure.RequestFailedException>(() => ledger.GetAsync("org_xyz", "user_abc"));
        var second = await ledger.GetAsync("org_xyz", "user_abc");

        Assert.Null(second);
        Assert.Equal(2, creates);
    }
}
