namespace RoleSync.Replay;

/// <summary>
/// Counts the dead-letter queue by reason, and by organization within a reason, peeking (no locks, nothing removed)
/// at most <see cref="DeadLetterReplayer.MaxScanned"/> dead letters, the same bound a replay's walk has: a group seen
/// here is one a snapshot replay can reach.
/// </summary>
public sealed class DeadLetterGrouper(IDeadLetterQueue queue, TimeProvider timeProvider)
{
    public async Task<DeadLetterGroupReport> GroupAsync(CancellationToken cancellationToken = default)
    {
        var groups = new Dictionary<string, (Tally All, Dictionary<string, Tally> ByOrganization)>(StringComparer.Ordinal);
        var scan = new DeadLetterScan(queue);
        await foreach (var message in scan.PeekAsync(0, long.MaxValue, cancellationToken).ConfigureAwait(false))
        {
            var view = DeadLetterView.From(message, timeProvider.GetUtcNow());
            var reason = view.DeadLetterReason ?? "";
            if (!groups.TryGetValue(reason, out var group))
            {
                group = (new Tally(), new Dictionary<string, Tally>(StringComparer.Ordinal));
                groups[reason] = group;
            }
            group.All.Add(view);
            var organization = view.OrganizationId ?? "";
            if (!group.ByOrganization.TryGetValue(organization, out var tally))
            {
                tally = new Tally();
                group.ByOrganization[organization] = tally;
            }
            tally.Add(view);
        }
        var result = groups
            .Select(g => new DeadLetterGroup(
                g.Key.Length == 0 ? null : g.Key, g.Value.All.Count, g.Value.All.Oldest, g.Value.All.Newest, g.Value.All.MaxSequenceNumber,
                [.. g.Value.ByOrganization
                    .Select(o => new DeadLetterOrganizationGroup(o.Key.Length == 0 ? null : o.Key, o.Value.Count, o.Value.Oldest, o.Value.Newest, o.Value.MaxSequenceNumber))
                    .OrderByDescending(o => o.Count).ThenBy(o => o.OrganizationId, StringComparer.Ordinal)]))
            .OrderByDescending(g => g.Count).ThenBy(g => g.Reason, StringComparer.Ordinal)
            .ToList();
        return new DeadLetterGroupReport(result, scan.Scanned, !scan.Complete);
    }

    private sealed class Tally
    {
        public int Count { get; private set; }

        public DateTimeOffset Oldest { get; private set; } = DateTimeOffset.MaxValue;

        public DateTimeOffset Newest { get; private set; } = DateTimeOffset.MinValue;

        public long MaxSequenceNumber { get; private set; } = -1;

        public void Add(DeadLetterView view)
        {
            Count++;
            Oldest = view.EnqueuedTime < Oldest ? view.EnqueuedTime : Oldest;
            Newest = view.EnqueuedTime > Newest ? view.EnqueuedTime : Newest;
            MaxSequenceNumber = Math.Max(MaxSequenceNumber, view.SequenceNumber);
        }
    }
}
