namespace RoleSync.Ledger;

/// <summary>A process-local ledger: orders the changes within one run (CLI) and stands in for Table Storage in unit tests.</summary>
public sealed class InMemoryMembershipLedger : IMembershipLedger
{
    private readonly Dictionary<(string, string), MembershipRecord> _records = [];
    private long _version;

    public Task<MembershipRecord?> GetAsync(string organizationId, string userId, CancellationToken cancellationToken = default)
    {
        lock (_records)
        {
            return Task.FromResult(_records.GetValueOrDefault((organizationId, userId)));
        }
    }

    public Task<MembershipRecord?> TryWriteAsync(MembershipRecord record, CancellationToken cancellationToken = default)
    {
        var key = (record.OrganizationId, record.UserId);
        lock (_records)
        {
            var current = _records.GetValueOrDefault(key);
            if (current?.ETag != record.ETag)
            {
                return Task.FromResult<MembershipRecord?>(null);
            }
            var stored = record with { ETag = (++_version).ToString(System.Globalization.CultureInfo.InvariantCulture) };
            _records[key] = stored;
            return Task.FromResult<MembershipRecord?>(stored);
        }
    }
}
