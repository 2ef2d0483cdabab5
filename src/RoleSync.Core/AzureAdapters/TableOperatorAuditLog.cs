using Azure.Data.Tables;
using RoleSync.Audit;

namespace RoleSync.AzureAdapters;

/// <summary>
/// The operator action audit in Azure Table Storage (the ledger's account, its own table): PartitionKey = the UTC day
/// of the call (<c>yyyyMMdd</c>), RowKey = the record id (UTC ticks then a random suffix), so a day's records and a
/// range of days read back in time order. A record is upserted twice: started, then with its result. The table is
/// created on first use.
/// </summary>
public sealed class TableOperatorAuditLog(TableClient table) : IOperatorAuditLog
{
    private readonly TableCreation _creation = new(table);

    public async Task WriteAsync(OperatorAuditRecord record, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        await _creation.EnsureAsync(cancellationToken).ConfigureAwait(false);
        await table.UpsertEntityAsync(ToEntity(record), TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
    }

    public async Task<OperatorAuditPage> ListAsync(DateTimeOffset from, DateTimeOffset to, int limit, string? continuationToken, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        await _creation.EnsureAsync(cancellationToken).ConfigureAwait(false);
        string low = OperatorAuditRecord.IdPrefix(from), high = OperatorAuditRecord.IdPrefix(to);
        var filter = TableClient.CreateQueryFilter(
            $"PartitionKey ge {from.UtcDateTime.ToString("yyyyMMdd", System.Globalization.CultureInfo.InvariantCulture)} and PartitionKey le {to.UtcDateTime.ToString("yyyyMMdd", System.Globalization.CultureInfo.InvariantCulture)} and RowKey ge {low} and RowKey lt {high}");
        if (continuationToken is not null)
        {
            filter += " and " + TableClient.CreateQueryFilter($"RowKey gt {continuationToken}");
        }
        var items = new List<OperatorAuditRecord>(limit + 1);
        await foreach (var entity in table.QueryAsync<TableEntity>(filter, maxPerPage: Math.Min(limit + 1, 1000), cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            items.Add(FromEntity(entity));
            if (items.Count > limit)
            {
                break;
            }
        }
        var page = items.Take(limit).ToList();
        return new OperatorAuditPage(page, items.Count > limit ? page[^1].Id : null);
    }

    private static TableEntity ToEntity(OperatorAuditRecord r) => new(OperatorAuditRecord.Day(r.Id), r.Id)
    {
        ["StartedAt"] = r.StartedAt,
        ["PrincipalObjectId"] = r.PrincipalObjectId,
        ["PrincipalName"] = r.PrincipalName,
        ["FunctionName"] = r.FunctionName,
        ["Method"] = r.Method,
        ["Path"] = r.Path,
        ["Selection"] = r.Selection,
        ["SelectionTruncated"] = r.SelectionTruncated,
        ["Status"] = r.Status,
        ["CompletedAt"] = r.CompletedAt,
        ["StatusCode"] = r.StatusCode,
        ["Result"] = r.Result,
        ["ResultTruncated"] = r.ResultTruncated,
    };

    private static OperatorAuditRecord FromEntity(TableEntity e) => new(
        e.RowKey,
        e.GetDateTimeOffset("StartedAt") ?? default,
        e.GetString("PrincipalObjectId") ?? "",
        e.GetString("PrincipalName") ?? "",
        e.GetString("FunctionName") ?? "",
        e.GetString("Method") ?? "",
        e.GetString("Path") ?? "",
        e.GetString("Selection"),
        e.GetBoolean("SelectionTruncated") ?? false,
        e.GetString("Status") ?? "",
        e.GetDateTimeOffset("CompletedAt"),
        e.GetInt32("StatusCode"),
        e.GetString("Result"),
        e.GetBoolean("ResultTruncated") ?? false);
}
