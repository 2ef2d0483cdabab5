namespace RoleSync.Audit;

/// <summary>The audit log in memory (tests, the CLI's one-off runs): records ordered by id.</summary>
public sealed class InMemoryOperatorAuditLog : IOperatorAuditLog
{
    private readonly SortedDictionary<string, OperatorAuditRecord> _records = new(StringComparer.Ordinal);

    /// <summary>Every record, oldest first.</summary>
    public IReadOnlyList<OperatorAuditRecord> Records
    {
        get
        {
            lock (_records)
            {
                return [.. _records.Values];
            }
        }
    }

    public Task WriteAsync(OperatorAuditRecord record, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        lock (_records)
        {
            _records[record.Id] = record;
        }
        return Task.CompletedTask;
    }

    public Task<OperatorAuditPage> ListAsync(DateTimeOffset from, DateTimeOffset to, int limit, string? continuationToken, CancellationToken cancellationToken = default)
    {
        string low = OperatorAuditRecord.IdPrefix(from), high = OperatorAuditRecord.IdPrefix(to);
        List<OperatorAuditRecord> matching;
        lock (_records)
        {
            matching = [.. _records.Values.Where(r => string.CompareOrdinal(r.Id, low) >= 0 && string.CompareOrdinal(r.Id, high) < 0
                && (continuationToken is null || string.CompareOrdinal(r.Id, continuationToken) > 0)).Take(limit + 1)];
        }
        var page = matching.Take(limit).ToList();
        return Task.FromResult(new OperatorAuditPage(page, matching.Count > limit ? page[^1].Id : null));
    }
}
