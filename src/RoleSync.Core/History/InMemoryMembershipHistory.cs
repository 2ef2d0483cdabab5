namespace RoleSync.History;

/// <summary>
/// The membership history in memory (tests, one-off CLI runs, hosts without Table Storage): the same keys and order as
/// the Table adapter (<see cref="HistoryKeys"/>); the continuation token is the last row key returned.
/// </summary>
public sealed class InMemoryMembershipHistory : IMembershipHistory
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, SortedDictionary<string, MembershipHistoryEntry>> _partitions = new(StringComparer.Ordinal);

    public Task AppendAsync(MembershipHistoryEntry entry, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entry);
        lock (_gate)
        {
            var key = HistoryKeys.Partition(entry.OrganizationId, entry.UserId);
            if (!_partitions.TryGetValue(key, out var rows))
            {
                rows = new SortedDictionary<string, MembershipHistoryEntry>(StringComparer.Ordinal);
                _partitions[key] = rows;
            }
            rows[HistoryKeys.Row(entry)] = entry;
        }
        return Task.CompletedTask;
    }

    public Task<MembershipHistoryPage> ListAsync(string organizationId, string userId, int limit, string? continuationToken = null, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        lock (_gate)
        {
            if (!_partitions.TryGetValue(HistoryKeys.Partition(organizationId, userId), out var rows))
            {
                return Task.FromResult(new MembershipHistoryPage([], null));
            }
            var after = rows.Where(kv => continuationToken is null || string.CompareOrdinal(kv.Key, continuationToken) > 0).Take(limit + 1).ToList();
            var page = after.Take(limit).ToList();
            return Task.FromResult(new MembershipHistoryPage([.. page.Select(kv => kv.Value)], after.Count > limit ? page[^1].Key : null));
        }
    }

    public Task<HistoryTally> TallySinceAsync(DateTimeOffset since, int limit, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        lock (_gate)
        {
            var marks = _partitions.Values.SelectMany(rows => rows.Values).Where(e => e.RecordedAt >= since).Take(limit + 1)
                .Select(e => HistoryMark.Of(e.RecordedAt, e.Outcome, e.Reason)).ToList();
            var truncated = marks.Count > limit;
            return Task.FromResult(new HistoryTally(truncated ? marks[..limit] : marks, truncated));
        }
    }

    public Task<int> DeleteOlderThanAsync(DateTimeOffset cutoff, CancellationToken cancellationToken = default)
    {
        int deleted = 0;
        lock (_gate)
        {
            foreach (var rows in _partitions.Values)
            {
                foreach (var key in rows.Where(kv => kv.Value.RecordedAt < cutoff).Select(kv => kv.Key).ToList())
                {
                    rows.Remove(key);
                    deleted++;
                }
            }
        }
        return Task.FromResult(deleted);
    }
}
