using RoleSync.AzureAdapters;

namespace RoleSync.Replay;

/// <summary>
/// Durable memory of operator requests that must not act twice: snapshot replays (by request id) and edit-and-retry
/// (by dead letter). The real one is <see cref="TableOperatorRequestStore"/> (Table Storage, the ledger's account);
/// <see cref="InMemoryOperatorRequestStore"/> stands in for it in tests.
/// </summary>
public interface IOperatorRequestStore
{
    /// <summary>The request recorded under <paramref name="key"/>, or null.</summary>
    Task<OperatorRequestRecord?> GetAsync(string key, CancellationToken cancellationToken = default);

    /// <summary>
    /// Records <paramref name="request"/> unless its key is taken (one atomic insert); returns the record that holds
    /// the key: <paramref name="request"/> when it was new, else the earlier one.
    /// </summary>
    Task<OperatorRequestRecord> AddAsync(OperatorRequestRecord request, CancellationToken cancellationToken = default);

    /// <summary>The dead letters replayed under <paramref name="key"/> so far, by sequence number.</summary>
    Task<IReadOnlyList<ReplayedDeadLetter>> GetReplayedAsync(string key, CancellationToken cancellationToken = default);

    /// <summary>Adds <paramref name="replayed"/> to what <paramref name="key"/> replayed (a repeat overwrites).</summary>
    Task AddReplayedAsync(string key, IReadOnlyList<ReplayedDeadLetter> replayed, CancellationToken cancellationToken = default);
}
