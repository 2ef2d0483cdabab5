namespace RoleSync.Audit;

/// <summary>Where operator action audit records are kept (Table Storage in the app; in memory in tests).</summary>
public interface IOperatorAuditLog
{
    /// <summary>Writes <paramref name="record"/>, replacing the record with the same id (start, then result).</summary>
    Task WriteAsync(OperatorAuditRecord record, CancellationToken cancellationToken = default);

    /// <summary>
    /// Records of calls received from <paramref name="from"/> (inclusive) to <paramref name="to"/> (exclusive), oldest
    /// first, at most <paramref name="limit"/>; <paramref name="continuationToken"/> is a previous page's token.
    /// </summary>
    Task<OperatorAuditPage> ListAsync(DateTimeOffset from, DateTimeOffset to, int limit, string? continuationToken, CancellationToken cancellationToken = default);
}
