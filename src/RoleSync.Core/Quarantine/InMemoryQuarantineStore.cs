using System.Globalization;

namespace RoleSync.Quarantine;

/// <summary>A process-local <see cref="IQuarantineStore"/> with the same conditional-write rules (tests, the model check, one-off runs).</summary>
public sealed class InMemoryQuarantineStore : IQuarantineStore
{
    private readonly Lock _gate = new();
    private QuarantineState _state = QuarantineState.None;
    private long _version;

    /// <summary>How many reads and writes were asked for.</summary>
    public int Reads { get; private set; }

    /// <inheritdoc/>
    public Task<QuarantineState> ReadAsync(CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            Reads++;
            return Task.FromResult(_state);
        }
    }

    /// <inheritdoc/>
    public Task<QuarantineState?> TryWriteAsync(QuarantineState state, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(state);
        lock (_gate)
        {
            if (state.ETag != _state.ETag)
            {
                return Task.FromResult<QuarantineState?>(null);
            }
            _state = state with { ETag = (++_version).ToString(CultureInfo.InvariantCulture) };
            return Task.FromResult<QuarantineState?>(_state);
        }
    }
}
