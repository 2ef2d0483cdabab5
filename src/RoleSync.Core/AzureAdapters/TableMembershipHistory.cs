using Azure;
using Azure.Data.Tables;
using RoleSync.History;
using RoleSync.Processing;

namespace RoleSync.AzureAdapters;

/// <summary>
/// The membership history in Azure Table Storage, in the ledger's account (table <c>History:TableName</c>): partition
/// and row keys from <see cref="HistoryKeys"/> (one partition per membership, newest first), one upsert per entry (a
/// redelivery rewrites its entry instead of adding one). The table is created on first use.
/// </summary>
public sealed class TableMembershipHistory(TableClient table) : IMembershipHistory
{
    private static readonly string[] KeyColumns = ["PartitionKey", "RowKey"];
    private static readonly string[] TallyColumns = ["RecordedAt", "Outcome", "Reason"];
    private readonly TableCreation _creation = new(table);

    public async Task AppendAsync(MembershipHistoryEntry entry, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entry);
        await _creation.EnsureAsync(cancellationToken).ConfigureAwait(false);
        await table.UpsertEntityAsync(ToEntity(entry), TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
    }

    public async Task<MembershipHistoryPage> ListAsync(string organizationId, string userId, int limit, string? continuationToken = null, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        await _creation.EnsureAsync(cancellationToken).ConfigureAwait(false);
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {HistoryKeys.Partition(organizationId, userId)}");
        await foreach (var page in table.QueryAsync<TableEntity>(filter, maxPerPage: limit, cancellationToken: cancellationToken)
            .AsPages(continuationToken, limit).ConfigureAwait(false))
        {
            return new MembershipHistoryPage([.. page.Values.Select(FromEntity)], string.IsNullOrEmpty(page.ContinuationToken) ? null : page.ContinuationToken);
        }
        return new MembershipHistoryPage([], null);
    }

    /// <summary>One query with a server-side filter on <c>RecordedAt</c>, reading only the three columns a mark needs.</summary>
    public async Task<HistoryTally> TallySinceAsync(DateTimeOffset since, int limit, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        await _creation.EnsureAsync(cancellationToken).ConfigureAwait(false);
        var filter = TableClient.CreateQueryFilter($"RecordedAt ge {since}");
        var marks = new List<HistoryMark>();
        await foreach (var entity in table.QueryAsync<TableEntity>(filter, maxPerPage: 1000, select: TallyColumns, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            if (KebabCaseEnumConverter<HistoryOutcome>.ValueOf(entity.GetString("Outcome")) is not { } outcome)
            {
                continue; // an outcome this version does not know
            }
            if (marks.Count == limit)
            {
                return new HistoryTally(marks, Truncated: true);
            }
            marks.Add(HistoryMark.Of(entity.GetDateTimeOffset("RecordedAt") ?? default, outcome, entity.GetString("Reason")));
        }
        return new HistoryTally(marks, Truncated: false);
    }

    public async Task<int> DeleteOlderThanAsync(DateTimeOffset cutoff, CancellationToken cancellationToken = default)
    {
        await _creation.EnsureAsync(cancellationToken).ConfigureAwait(false);
        var filter = TableClient.CreateQueryFilter($"RecordedAt lt {cutoff}");
        int deleted = 0;
        await foreach (var entity in table.QueryAsync<TableEntity>(filter, maxPerPage: 1000, select: KeyColumns, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            await table.DeleteEntityAsync(entity.PartitionKey, entity.RowKey, ETag.All, cancellationToken).ConfigureAwait(false);
            deleted++;
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
