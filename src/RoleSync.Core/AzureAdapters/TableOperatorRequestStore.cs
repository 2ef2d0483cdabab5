using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Azure;
using Azure.Data.Tables;
using RoleSync.Replay;

namespace RoleSync.AzureAdapters;

/// <summary>
/// <see cref="IOperatorRequestStore"/> in Azure Table Storage (table <c>Replay:RequestTableName</c>, in the ledger's
/// account): one partition per request, named by the SHA-256 of its key (a caller-chosen request id may hold
/// characters keys cannot); row <c>request</c> is the request (inserted, never replaced: the insert is what makes a
/// request id first-come), rows <c>replayed-{sequence number, 19 digits}</c> the dead letters it replayed, written in
/// entity-group transactions of up to 100. The table is created on first use.
/// </summary>
public sealed class TableOperatorRequestStore(TableClient table) : IOperatorRequestStore
{
    private const string RequestRow = "request";
    private const string ReplayedPrefix = "replayed-";
    private const int MaxPerTransaction = 100;
    private readonly TableCreation _creation = new(table);

    public async Task<OperatorRequestRecord?> GetAsync(string key, CancellationToken cancellationToken = default)
    {
        await _creation.EnsureAsync(cancellationToken).ConfigureAwait(false);
        var response = await table.GetEntityIfExistsAsync<TableEntity>(Partition(key), RequestRow, cancellationToken: cancellationToken).ConfigureAwait(false);
        return response.HasValue ? FromEntity(response.Value!) : null;
    }

    public async Task<OperatorRequestRecord> AddAsync(OperatorRequestRecord request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        await _creation.EnsureAsync(cancellationToken).ConfigureAwait(false);
        var entity = new TableEntity(Partition(request.Key), RequestRow)
        {
            ["Key"] = request.Key,
            ["Fingerprint"] = request.Fingerprint,
            ["Caller"] = request.Caller,
            ["RecordedAt"] = request.RecordedAt,
        };
        try
        {
            await table.AddEntityAsync(entity, cancellationToken).ConfigureAwait(false);
            return request;
        }
        catch (RequestFailedException ex) when (ex.Status == 409)
        {
            return await GetAsync(request.Key, cancellationToken).ConfigureAwait(false)
                ?? throw new InvalidOperationException($"The operator request {request.Key} was reported as recorded but cannot be read.", ex);
        }
    }

    public async Task<IReadOnlyList<ReplayedDeadLetter>> GetReplayedAsync(string key, CancellationToken cancellationToken = default)
    {
        await _creation.EnsureAsync(cancellationToken).ConfigureAwait(false);
        // "replayed-" ≤ RowKey < "replayed." ('.' follows '-'): the replayed rows only, in sequence-number order.
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {Partition(key)} and RowKey ge {ReplayedPrefix} and RowKey lt {"replayed."}");
        var items = new List<ReplayedDeadLetter>();
        await foreach (var entity in table.QueryAsync<TableEntity>(filter, maxPerPage: 1000, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            items.Add(new ReplayedDeadLetter(
                entity.GetInt64("SequenceNumber") ?? 0, entity.GetString("MessageId") ?? "", entity.GetString("NewMessageId") ?? "", entity.GetString("EventId")));
        }
        return items;
    }

    public async Task AddReplayedAsync(string key, IReadOnlyList<ReplayedDeadLetter> replayed, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(replayed);
        await _creation.EnsureAsync(cancellationToken).ConfigureAwait(false);
        var partition = Partition(key);
        foreach (var chunk in replayed.Chunk(MaxPerTransaction))
        {
            var actions = chunk.Select(item => new TableTransactionAction(TableTransactionActionType.UpsertReplace, new TableEntity(partition, RowKey(item.SequenceNumber))
            {
                ["SequenceNumber"] = item.SequenceNumber,
                ["MessageId"] = item.MessageId,
                ["NewMessageId"] = item.NewMessageId,
                ["EventId"] = item.EventId,
            }));
            await table.SubmitTransactionAsync(actions, cancellationToken).ConfigureAwait(false);
        }
    }

    private static string Partition(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    private static string RowKey(long sequenceNumber) => ReplayedPrefix + sequenceNumber.ToString("D19", CultureInfo.InvariantCulture);

    private static OperatorRequestRecord FromEntity(TableEntity e) => new(
        e.GetString("Key") ?? "", e.GetString("Fingerprint") ?? "", e.GetString("Caller") ?? "", e.GetDateTimeOffset("RecordedAt") ?? default);
}
