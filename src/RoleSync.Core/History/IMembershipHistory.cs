namespace RoleSync.History;

/// <summary>
/// The append-only history of every membership: Azure Table Storage in production
/// (<see cref="AzureAdapters.TableMembershipHistory"/>, next to the ledger), in memory otherwise
/// (<see cref="InMemoryMembershipHistory"/>). Written by <see cref="MembershipHistoryRecorder"/>.
/// </summary>
public interface IMembershipHistory
{
    /// <summary>
    /// Adds <paramref name="entry"/>. Idempotent: an entry for the same change, outcome and attempt (a redelivery) replaces
    /// the one already there instead of adding a second (<see cref="HistoryKeys"/>).
    /// </summary>
    Task AppendAsync(MembershipHistoryEntry entry, CancellationToken cancellationToken = default);

    /// <summary>
    /// Up to <paramref name="limit"/> entries of one membership, newest first, from <paramref name="continuationToken"/>
    /// (a previous page's; null: the newest).
    /// </summary>
    Task<MembershipHistoryPage> ListAsync(string organizationId, string userId, int limit, string? continuationToken = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// Marks of the entries recorded at or after <paramref name="since"/> (every membership), at most
    /// <paramref name="limit"/> of them: then <see cref="HistoryTally.Truncated"/>. In no particular order.
    /// </summary>
    Task<HistoryTally> TallySinceAsync(DateTimeOffset since, int limit, CancellationToken cancellationToken = default);

    /// <summary>Deletes every entry recorded before <paramref name="cutoff"/>; returns how many.</summary>
    Task<int> DeleteOlderThanAsync(DateTimeOffset cutoff, CancellationToken cancellationToken = default);
}
