using RoleSync.Ledger;

namespace RoleSync.LoadTest;

/// <summary>
/// Counts the ledger operations the processor makes (each one Table Storage transaction with the Table ledger) around
/// the in-memory ledger, so the cost table rests on measured counts, not on a reading of the code.
/// </summary>
internal sealed class CountingLedger(IMembershipLedger inner) : IMembershipLedger
{
    private long _reads;
    private long _writes;
    private long _events;

    public long Reads => Interlocked.Read(ref _reads);

    public long Writes => Interlocked.Read(ref _writes);

    public long EventRecords => Interlocked.Read(ref _events);

    public Task<MembershipRecord?> GetAsync(string organizationId, string userId, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _reads);
        return inner.GetAsync(organizationId, userId, cancellationToken);
    }

    public Task<MembershipRecord?> TryWriteAsync(MembershipRecord record, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _writes);
        return inner.TryWriteAsync(record, cancellationToken);
    }

    public Task<string?> RecordEventAsync(string eventId, string content, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _events);
        return inner.RecordEventAsync(eventId, content, cancellationToken);
    }

    public IAsyncEnumerable<MembershipRecord> ListAsync(string? organizationId = null, CancellationToken cancellationToken = default) =>
        inner.ListAsync(organizationId, cancellationToken);
}
