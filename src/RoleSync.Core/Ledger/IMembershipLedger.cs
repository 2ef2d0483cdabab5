namespace RoleSync.Ledger;

/// <summary>
/// Durable membership records with optimistic concurrency, and the identity of every event seen. Two
/// implementations: Azure Table Storage (production) and in-memory (unit tests, one-off CLI runs); both pass the same
/// contract tests. Failures other than a lost race surface as exceptions (the processor turns them into a transient
/// outcome).
/// </summary>
public interface IMembershipLedger
{
    Task<MembershipRecord?> GetAsync(string organizationId, string userId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Stores <paramref name="record"/> if the stored version is still <see cref="MembershipRecord.ETag"/> (null: only if
    /// no record exists yet). Returns the stored record with its new ETag, or null when another writer got there first.
    /// </summary>
    Task<MembershipRecord?> TryWriteAsync(MembershipRecord record, CancellationToken cancellationToken = default);

    /// <summary>
    /// Records that <paramref name="eventId"/> carries <paramref name="content"/> (first writer wins). Returns null when
    /// this is the first record of the event or it was recorded with the same content, else the content it was first
    /// recorded with (the event id is being reused for another change).
    /// </summary>
    Task<string?> RecordEventAsync(string eventId, string content, CancellationToken cancellationToken = default);

    /// <summary>Every membership record, organization by organization (only <paramref name="organizationId"/>'s when given), read in pages.</summary>
    IAsyncEnumerable<MembershipRecord> ListAsync(string? organizationId = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// The organization's one record whose user was last named by <paramref name="externalId"/> (exact) or, when that is
    /// null, <paramref name="emailAddress"/> (case-insensitive); null when none or several. A ledger that cannot search
    /// answers null (the user is then looked up in Clerk).
    /// </summary>
    Task<MembershipRecord?> FindByIdentifierAsync(string organizationId, string? externalId, string? emailAddress, CancellationToken cancellationToken = default) =>
        Task.FromResult<MembershipRecord?>(null);
}
