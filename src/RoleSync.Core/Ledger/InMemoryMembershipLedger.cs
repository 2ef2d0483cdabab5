using System.Runtime.CompilerServices;

namespace RoleSync.Ledger;

/// <summary>A process-local ledger: orders the changes within one run (CLI) and stands in for Table Storage in unit tests.</summary>
public sealed class InMemoryMembershipLedger : IMembershipLedger
{
    private readonly Dictionary<(string, string), MembershipRecord> _records = [];
    private readonly Dictionary<string, string> _events = new(StringComparer.Ordinal);
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

    public Task<string?> RecordEventAsync(string eventId, string content, CancellationToken cancellationToken = default)
    {
        lock (_records)
        {
            if (_events.TryGetValue(eventId, out var first))
            {
                return Task.FromResult(first == content ? null : first);
            }
            _events[eventId] = content;
            return Task.FromResult<string?>(null);
        }
    }

    public Task<MembershipRecord?> FindByIdentifierAsync(string organizationId, string? externalId, string? emailAddress, CancellationToken cancellationToken = default)
    {
        lock (_records)
        {
            var matches = _records.Values
                .Where(r => r.OrganizationId == organizationId
                    && (externalId is not null ? r.ExternalId == externalId : string.Equals(r.EmailAddress, emailAddress, StringComparison.OrdinalIgnoreCase)))
                .Take(2)
                .ToList();
            return Task.FromResult(matches.Count == 1 ? matches[0] : null);
        }
    }

    public async IAsyncEnumerable<MembershipRecord> ListAsync(string? organizationId = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        List<MembershipRecord> snapshot;
        lock (_records)
        {
            snapshot = [.. _records.Values
                .Where(r => organizationId is null || r.OrganizationId == organizationId)
                .OrderBy(r => r.OrganizationId, StringComparer.Ordinal).ThenBy(r => r.UserId, StringComparer.Ordinal)];
        }
        foreach (var record in snapshot)
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return record;
        }
        await Task.CompletedTask.ConfigureAwait(false);
    }
}
