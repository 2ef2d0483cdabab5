using RoleSync.Guard;

namespace RoleSync.ModelCheck;

/// <summary>An <see cref="InMemoryGuardStore"/> that a reused host empties for the next seed (its tasks complete inline).</summary>
internal sealed class SimGuardStore : IGuardStore
{
    private InMemoryGuardStore _inner = new();

    public void Reset() => _inner = new InMemoryGuardStore();

    public Task<GuardWindow> ReadWindowAsync(string organizationId, CancellationToken cancellationToken = default) => _inner.ReadWindowAsync(organizationId, cancellationToken);

    public Task<GuardWindow?> TryWriteWindowAsync(GuardWindow window, CancellationToken cancellationToken = default) => _inner.TryWriteWindowAsync(window, cancellationToken);

    public Task<GuardHold?> GetHoldAsync(string organizationId, string eventId, CancellationToken cancellationToken = default) => _inner.GetHoldAsync(organizationId, eventId, cancellationToken);

    public Task<GuardHold?> TryWriteHoldAsync(GuardHold hold, CancellationToken cancellationToken = default) => _inner.TryWriteHoldAsync(hold, cancellationToken);

    public IAsyncEnumerable<GuardHold> ListHoldsAsync(string? organizationId = null, CancellationToken cancellationToken = default) => _inner.ListHoldsAsync(organizationId, cancellationToken);
}
