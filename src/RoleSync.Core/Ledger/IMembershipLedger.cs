namespace RoleSync.Ledger;

/// <summary>
/// Durable membership records with optimistic concurrency. Two implementations: Azure Table Storage (production)
/// and in-memory (unit tests, one-off CLI runs); both pass the same contract tests.
/// Failures other than a lost race surface as exceptions (the processor turns them into a transient outcome).
/// </summary>
public interface IMembershipLedger
{
    Task<MembershipRecord?> GetAsync(string organizationId, string userId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Stores <paramref name="record"/> if the stored version is still <see cref="MembershipRecord.ETag"/> (null: only if
    /// no record exists yet). Returns the stored record with its new ETag, or null when another writer got there first.
    /// </summary>
    Task<MembershipRecord?> TryWriteAsync(MembershipRecord record, CancellationToken cancellationToken = default);
}
