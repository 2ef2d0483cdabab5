namespace RoleSync.Quarantine;

/// <summary>Where the deployment's one <see cref="QuarantineState"/> row lives; writes are conditional on its ETag.</summary>
public interface IQuarantineStore
{
    /// <summary>The row, or <see cref="QuarantineState.None"/> (no ETag) when there is none yet.</summary>
    Task<QuarantineState> ReadAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Writes <paramref name="state"/> if the row is still at <see cref="QuarantineState.ETag"/> (null: only if there is
    /// no row). Returns the state with its new ETag, or null when another writer got there first.
    /// </summary>
    Task<QuarantineState?> TryWriteAsync(QuarantineState state, CancellationToken cancellationToken = default);
}
