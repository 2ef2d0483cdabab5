using Azure;
using Azure.Data.Tables;
using RoleSync.History;
using RoleSync.Processing;

namespace RoleSync.AzureAdapters;

/// <summary>
/// The membership history in Azure Table Storage, in the ledger's account (table <c>History:TableName</c>): partition
/// and row keys from <see cref="HistoryKeys"/> (one partition per membership, newest first), one upsert per entry (a
/// redelivery rewrites its entry instead of adding one), plus one upsert of the entry's tally row in the partition of
/// the hour it was recorded (<see cref="HistoryKeys.TallyPartition"/>: RecordedAt, Outcome, RetriesExhausted), which
/// is all <see cref="TallySinceAsync"/> reads. Entries written before the tally rows existed have none: the overview's
/// counts start from the deploy that added them (no migration; the counts fill in as the windows pass). The table is
/// created on first use.
/// </summary>
public sealed class TableMembershipHistory(TableClient table) : IMembershipHistory
{
    private static readonly string[] KeyColumns = ["PartitionKey", "RowKey"];
    private static readonly string[] TallyColumns = ["RowKey", "RecordedAt", "Outcome", "RetriesExhausted"];
    private readonly TableCreation _creation = new(table);

    public async Task AppendAsync(MembershipHistoryEntry entry, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entry);
        await _creation.EnsureAsync(cancellationToken).ConfigureAwait(false);
        // Two partitions, so no batch transaction (Table Storage batches only within one partition). The entry first: a
        // crash between the two writes can lose a count (the overview's counts are a lower bound anyway), never an entry;
        // the other order could count an entry that was never written. A redelivery writes both again.
        await table.UpsertEntityAsync(ToEntity(entry), TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
        await table.UpsertEntityAsync(ToTallyEntity(entry), TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
    }

    public async Task<MembershipHistoryPage> ListAsync(string organizationId, string userId, int limit, string? continuationToken = null, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        var partition = HistoryKeys.Partition(organizationId, userId);
        if (partition.StartsWith(HistoryKeys.TallyPrefix, StringComparison.Ordinal))
        {
            return new MembershipHistoryPage([], null); // no membership's: an hour of tally rows
        }
        await _creation.EnsureAsync(cancellationToken).ConfigureAwait(false);
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {partition}");
        await foreach (var page in table.QueryAsync<TableEntity>(filter, maxPerPage: limit, cancellationToken: cancellationToken)
            .AsPages(continuationToken, limit).ConfigureAwait(false))
        {
            return new MembershipHistoryPage([.. page.Values.Select(FromEntity)], string.IsNullOrEmpty(page.ContinuationToken) ? null : page.ContinuationToken);
        }
        return new MembershipHistoryPage([], null);
    }

    /// <summary>
    /// One query of the tally partitions from <paramref name="since"/>'s hour on (a PartitionKey range; RecordedAt filters
    /// the first hour), reading only the columns a mark needs. Tally rows of one entry (a redelivery in a later hour)
    /// share a row key and are one mark, recorded at the latest. Read oldest hour first, so a truncated tally lacks the
    /// newest marks.
    /// </summary>
    public async Task<HistoryTally> TallySinceAsync(DateTimeOffset since, int limit, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        await _creation.EnsureAsync(cancellationToken).ConfigureAwait(false);
        var filter = TableClient.CreateQueryFilter(
            $"PartitionKey ge {HistoryKeys.TallyPartition(since)} and PartitionKey lt {HistoryKeys.TallyEnd} and RecordedAt ge {since}");
        var marks = new Dictionary<string, HistoryMark>(StringComparer.Ordinal);
        await foreach (var entity in table.QueryAsync<TableEntity>(filter, maxPerPage: 1000, select: TallyColumns, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            if (KebabCaseEnumConverter<HistoryOutcome>.ValueOf(entity.GetString("Outcome")) is not { } outcome)
            {
                continue; // an outcome this version does not know
            }
            var mark = new HistoryMark(entity.GetDateTimeOffset("RecordedAt") ?? default, outcome, entity.GetBoolean("RetriesExhausted") ?? false);
            if (marks.TryGetValue(entity.RowKey, out var seen))
            {
                marks[entity.RowKey] = mark.RecordedAt > seen.RecordedAt ? mark : seen;
                continue;
            }
            if (marks.Count == limit)
            {
                return new HistoryTally([.. marks.Values], Truncated: true);
            }
            marks.Add(entity.RowKey, mark);
        }
        return new HistoryTally([.. marks.Values], Truncated: false);
    }

    /// <summary>Deletes the entries and the tally rows recorded before <paramref name="cutoff"/> (one scan); counts the entries.</summary>
    public async Task<int> DeleteOlderThanAsync(DateTimeOffset cutoff, CancellationToken cancellationToken = default)
    {
        await _creation.EnsureAsync(cancellationToken).ConfigureAwait(false);
        var filter = TableClient.CreateQueryFilter($"RecordedAt lt {cutoff}");
        int deleted = 0;
        await foreach (var entity in table.QueryAsync<TableEntity>(filter, maxPerPage: 1000, select: KeyColumns, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            await table.DeleteEntityAsync(entity.PartitionKey, entity.RowKey, ETag.All, cancellationToken).ConfigureAwait(false);
            if (!entity.PartitionKey.StartsWith(HistoryKeys.TallyPrefix, StringComparison.Ordinal))
            {
                deleted++;
            }
        }
        return deleted;
    }

    private static TableEntity ToEntity(MembershipHistoryEntry e) => new(HistoryKeys.Partition(e.OrganizationId, e.UserId), HistoryKeys.Row(e))
    {
        ["OrganizationId"] = e.OrganizationId,
        ["UserId"] = e.UserId,
        ["EventId"] = e.EventId,
        ["OccurredAtTicks"] = e.OccurredAt?.UtcTicks, // Table Storage keeps only milliseconds in DateTime columns
        ["EffectiveAtTicks"] = e.EffectiveAt.UtcTicks,
        ["Role"] = e.Role,
        ["Source"] = e.Source,
        ["ChangeReason"] = e.ChangeReason,
        ["Outcome"] = KebabCaseEnumConverter<HistoryOutcome>.NameOf(e.Outcome),
        ["Reason"] = e.Reason,
        ["SupersededBy"] = e.SupersededBy,
        ["Detail"] = e.Detail,
        ["RecordedAt"] = e.RecordedAt,
        ["EntryPoint"] = KebabCaseEnumConverter<EntryPoint>.NameOf(e.EntryPoint),
        ["Principal"] = e.Principal,
        ["Attempt"] = e.Attempt,
    };

    private static TableEntity ToTallyEntity(MembershipHistoryEntry e)
    {
        var mark = HistoryMark.Of(e.RecordedAt, e.Outcome, e.Reason);
        return new(HistoryKeys.TallyPartition(e.RecordedAt), HistoryKeys.TallyRow(e))
        {
            ["RecordedAt"] = mark.RecordedAt,
            ["Outcome"] = KebabCaseEnumConverter<HistoryOutcome>.NameOf(mark.Outcome),
            ["RetriesExhausted"] = mark.RetriesExhausted,
        };
    }

    private static MembershipHistoryEntry FromEntity(TableEntity e) => new(
        e.GetString("OrganizationId") ?? "",
        e.GetString("UserId") ?? "",
        e.GetString("EventId") ?? "",
        Ticks(e, "OccurredAtTicks"),
        Ticks(e, "EffectiveAtTicks") ?? default,
        e.GetString("Role"),
        e.GetString("Source"),
        e.GetString("ChangeReason"),
        KebabCaseEnumConverter<HistoryOutcome>.ValueOf(e.GetString("Outcome")) ?? default,
        e.GetString("Reason"),
        e.GetString("SupersededBy"),
        e.GetString("Detail"),
        e.GetDateTimeOffset("RecordedAt") ?? default,
        KebabCaseEnumConverter<EntryPoint>.ValueOf(e.GetString("EntryPoint")) ?? EntryPoint.Queue,
        e.GetString("Principal"),
        e.GetInt32("Attempt") ?? 1);

    private static DateTimeOffset? Ticks(TableEntity e, string name) =>
        e.GetInt64(name) is { } ticks ? new DateTimeOffset(ticks, TimeSpan.Zero) : null;
}
