using RoleSync.Guard;

namespace RoleSync.Core.Tests.Guard;

/// <summary>
/// Lost races on the organization's window row, made deterministic: before each of the guard's window writes a rival
/// host commits its own, so the guard's ETag is stale and its write loses, as under a fleet-wide bulk change.
/// </summary>
public sealed class GuardContentionTests
{
    [Theory]
    [InlineData(11)] // 12 concurrent deliveries of one organization: the CI flake with the old bound of 10
    [InlineData(BulkChangeGuard.MaxRounds - 1)]
    public async Task A_change_that_loses_the_race_to_every_other_concurrent_delivery_is_still_counted(int rivals)
    {
        var store = new RivalStore(new InMemoryGuardStore(), rivals);
        using var rig = new GuardRig(store, new GuardOptions { MaxPerWindow = 100 });

        var result = await rig.RemoveAsync("e1", "user_1");

        Assert.Equal(Outcome.Applied, result.Outcome);
        Assert.Equal(rivals, store.Lost);
        var window = await store.Inner.ReadWindowAsync(rig.Org);
        Assert.Equal(rivals + 1, window.Recent.Count);
        Assert.Contains(window.Recent, m => m.EventId == "e1");
    }

    [Fact]
    public async Task A_change_that_loses_more_races_than_the_bound_is_retried_as_transient_not_applied_or_held()
    {
        var store = new RivalStore(new InMemoryGuardStore(), BulkChangeGuard.MaxRounds);
        using var rig = new GuardRig(store, new GuardOptions { MaxPerWindow = 1000 });

        var result = await rig.RemoveAsync("e1", "user_1");

        Assert.Equal(Outcome.Transient, result.Outcome);
        Assert.Equal(Reasons.LedgerUnavailable, result.Reason);
        Assert.Contains($"{BulkChangeGuard.MaxRounds} attempts", result.Detail, StringComparison.Ordinal);
        Assert.Empty(rig.Processed);
    }

    /// <summary>Before each of the first <c>rivals</c> window writes, a rival counts its own change first.</summary>
    private sealed class RivalStore(InMemoryGuardStore inner, int rivals) : IGuardStore
    {
        public InMemoryGuardStore Inner => inner;
        public int Lost { get; private set; }

        public Task<GuardWindow> ReadWindowAsync(string organizationId, CancellationToken cancellationToken = default) =>
            inner.ReadWindowAsync(organizationId, cancellationToken);

        public async Task<GuardWindow?> TryWriteWindowAsync(GuardWindow window, CancellationToken cancellationToken = default)
        {
            if (Lost < rivals)
            {
                var current = await inner.ReadWindowAsync(window.OrganizationId, cancellationToken);
                var rival = current with { Recent = [.. current.Recent, new GuardMark($"rival-{Lost}", window.Recent[^1].At)] };
                Assert.NotNull(await inner.TryWriteWindowAsync(rival, cancellationToken));
                Lost++;
            }
            return await inner.TryWriteWindowAsync(window, cancellationToken);
        }

        public Task<GuardHold?> GetHoldAsync(string organizationId, string eventId, CancellationToken cancellationToken = default) =>
            inner.GetHoldAsync(organizationId, eventId, cancellationToken);

        public Task<GuardHold?> TryWriteHoldAsync(GuardHold hold, CancellationToken cancellationToken = default) =>
            inner.TryWriteHoldAsync(hold, cancellationToken);

        public IAsyncEnumerable<GuardHold> ListHoldsAsync(string? organizationId = null, CancellationToken cancellationToken = default) =>
            inner.ListHoldsAsync(organizationId, cancellationToken);
    }
}
