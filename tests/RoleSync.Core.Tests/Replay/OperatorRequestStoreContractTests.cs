namespace RoleSync.Core.Tests.Replay;

/// <summary>The behaviour every <see cref="IOperatorRequestStore"/> must have; run against both implementations.</summary>
public abstract class OperatorRequestStoreContractTests
{
    protected abstract Task<IOperatorRequestStore> CreateStoreAsync();

    private static readonly DateTimeOffset At = new(2026, 11, 28, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task The_first_request_under_a_key_wins_and_a_later_one_gets_it_back()
    {
        var store = await CreateStoreAsync();
        var first = new OperatorRequestRecord("replay:req/1#?", "reason=X", "alice", At);

        var added = await store.AddAsync(first);
        var second = await store.AddAsync(new OperatorRequestRecord("replay:req/1#?", "reason=Y", "bob", At.AddMinutes(1)));

        Assert.Equal(first, added);
        Assert.Equal(first, second);
        Assert.Equal(first, await store.GetAsync("replay:req/1#?"));
        Assert.Null(await store.GetAsync("replay:other"));
    }

    [Fact]
    public async Task Replayed_dead_letters_are_kept_per_request_in_sequence_order_and_a_repeat_overwrites()
    {
        var store = await CreateStoreAsync();
        var many = Enumerable.Range(1, 150).Select(i => new ReplayedDeadLetter(1000 - i, $"m{i}", $"m{i}~replay{1000 - i}", $"e{i}")).ToList();

        await store.AddReplayedAsync("replay:a", many);
        await store.AddReplayedAsync("replay:a", [new ReplayedDeadLetter(999, "m1", "m1~replay999", null)]);
        await store.AddReplayedAsync("replay:b", [new ReplayedDeadLetter(5, "x", "x~replay5", "x")]);

        var a = await store.GetReplayedAsync("replay:a");
        Assert.Equal(150, a.Count);
        Assert.Equal(Enumerable.Range(850, 150).Select(n => (long)n), a.Select(r => r.SequenceNumber));
        Assert.Equal(new ReplayedDeadLetter(999, "m1", "m1~replay999", null), a[^1]);
        Assert.Equal(new ReplayedDeadLetter(5, "x", "x~replay5", "x"), Assert.Single(await store.GetReplayedAsync("replay:b")));
        Assert.Empty(await store.GetReplayedAsync("replay:c"));
    }
}

public sealed class InMemoryOperatorRequestStoreContractTests : OperatorRequestStoreContractTests
{
    protected override Task<IOperatorRequestStore> CreateStoreAsync() => Task.FromResult<IOperatorRequestStore>(new InMemoryOperatorRequestStore());
}

public sealed class TableOperatorRequestStoreContractTests : OperatorRequestStoreContractTests
{
    protected override async Task<IOperatorRequestStore> CreateStoreAsync() =>
        new TableOperatorRequestStore(new TableClient(await Azurite.GetConnectionStringAsync(), Azurite.NewTableName("req")));
}
