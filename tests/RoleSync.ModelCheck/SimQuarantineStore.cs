using RoleSync.Quarantine;

namespace RoleSync.ModelCheck;

/// <summary>An <see cref="InMemoryQuarantineStore"/> that a reused host empties for the next seed (its tasks complete inline).</summary>
internal sealed class SimQuarantineStore : IQuarantineStore
{
    private InMemoryQuarantineStore _inner = new();

    public void Reset() => _inner = new InMemoryQuarantineStore();

    public Task<QuarantineState> ReadAsync(CancellationToken cancellationToken = default) => _inner.ReadAsync(cancellationToken);

    public Task<QuarantineState?> TryWriteAsync(QuarantineState state, CancellationToken cancellationToken = default) => _inner.TryWriteAsync(state, cancellationToken);
}
