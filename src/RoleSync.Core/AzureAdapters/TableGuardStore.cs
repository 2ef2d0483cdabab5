using System.Globalization;
using System.Runtime.CompilerServices;
using Azure;
using Azure.Data.Tables;
using RoleSync.Guard;

namespace RoleSync.AzureAdapters;

/// <summary>
/// The bulk-change guard's rows in Azure Table Storage (the ledger's account, table <c>Guard:TableName</c>): one
/// partition per organization, RowKey <c>window</c> for its <see cref="GuardWindow"/> (the counted changes as lines of
/// "ticks event-id") and <c>hold|{event id}</c> per <see cref="GuardHold"/>. Inserted when absent, replaced on the
/// ETag otherwise (409/412: a lost race), so every host shares one count. The table is created by the first write.
/// </summary>
public sealed class TableGuardStore(TableClient table) : IGuardStore
{
    private const string WindowRow = "window";
    private const string HoldPrefix = "hold|";

    /// <inheritdoc/>
    public async Task<GuardWindow> ReadWindowAsync(string organizationId, CancellationToken cancellationToken = default)
    {
        if (await GetAsync(organizationId, WindowRow, cancellationToken).ConfigureAwait(false) is not { } e)
        {
            return GuardWindow.Empty(organizationId);
        }
        var recent = (e.GetString(nameof(GuardWindow.Recent)) ?? "").Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split(' ', 2))
            .Select(p => new GuardMark(Uri.UnescapeDataString(p[1]), new DateTimeOffset(long.Parse(p[0], CultureInfo.InvariantCulture), TimeSpan.Zero)))
            .ToList();
        return new GuardWindow(organizationId, recent,
            e.GetBoolean(nameof(GuardWindow.Holding)) ?? false,
            e.GetDateTimeOffset(nameof(GuardWindow.HoldingSince)),
            e.GetInt64(nameof(GuardWindow.HoldSequence)) ?? 0,
            e.GetInt64(nameof(GuardWindow.DecidedThrough)) ?? 0,
            Enum.TryParse<GuardDecision>(e.GetString(nameof(GuardWindow.LastDecision)), out var decision) ? decision : GuardDecision.Held,
            e.GetString(nameof(GuardWindow.DecidedBy)),
            e.GetDateTimeOffset(nameof(GuardWindow.DecidedAt))) { ETag = e.ETag.ToString() };
    }

    /// <inheritdoc/>
    public async Task<GuardWindow?> TryWriteWindowAsync(GuardWindow window, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(window);
        var entity = new TableEntity(window.OrganizationId, WindowRow)
        {
            [nameof(GuardWindow.Recent)] = string.Join('\n', window.Recent.Select(m =>
                string.Create(CultureInfo.InvariantCulture, $"{m.At.UtcTicks} {Uri.EscapeDataString(m.EventId)}"))),
            [nameof(GuardWindow.Holding)] = window.Holding,
            [nameof(GuardWindow.HoldingSince)] = window.HoldingSince,
            [nameof(GuardWindow.HoldSequence)] = window.HoldSequence,
            [nameof(GuardWindow.DecidedThrough)] = window.DecidedThrough,
            [nameof(GuardWindow.LastDecision)] = window.LastDecision.ToString(),
            [nameof(GuardWindow.DecidedBy)] = window.DecidedBy,
            [nameof(GuardWindow.DecidedAt)] = window.DecidedAt,
        };
        return await TryWriteAsync(entity, window.ETag, cancellationToken).ConfigureAwait(false) is { } etag ? window with { ETag = etag } : null;
    }

    /// <inheritdoc/>
    public async Task<GuardHold?> GetHoldAsync(string organizationId, string eventId, CancellationToken cancellationToken = default) =>
        await GetAsync(organizationId, HoldPrefix + Uri.EscapeDataString(eventId), cancellationToken).ConfigureAwait(false) is { } e ? HoldOf(e) : null;

    /// <inheritdoc/>
    public async Task<GuardHold?> TryWriteHoldAsync(GuardHold hold, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(hold);
        var entity = new TableEntity(hold.OrganizationId, HoldPrefix + Uri.EscapeDataString(hold.EventId))
        {
            [nameof(GuardHold.EventId)] = hold.EventId,
            [nameof(GuardHold.Sequence)] = hold.Sequence,
            [nameof(GuardHold.HeldAt)] = hold.HeldAt,
            [nameof(GuardHold.UserId)] = hold.UserId,
            [nameof(GuardHold.Role)] = hold.Role,
            [nameof(GuardHold.Removal)] = hold.Removal,
            [nameof(GuardHold.Body)] = hold.Body,
            [nameof(GuardHold.Decision)] = hold.Decision.ToString(),
            [nameof(GuardHold.DecidedBy)] = hold.DecidedBy,
            [nameof(GuardHold.DecidedAt)] = hold.DecidedAt,
        };
        return await TryWriteAsync(entity, hold.ETag, cancellationToken).ConfigureAwait(false) is { } etag ? hold with { ETag = etag } : null;
    }

    /// <inheritdoc/>
    public async IAsyncEnumerable<GuardHold> ListHoldsAsync(string? organizationId = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var filter = organizationId is null
            ? TableClient.CreateQueryFilter($"RowKey gt {HoldPrefix} and RowKey lt {"hold}"}")
            : TableClient.CreateQueryFilter($"PartitionKey eq {organizationId} and RowKey gt {HoldPrefix} and RowKey lt {"hold}"}");
        var pages = table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken);
        await using var rows = pages.GetAsyncEnumerator(cancellationToken);
        while (true)
        {
            try
            {
                if (!await rows.MoveNextAsync().ConfigureAwait(false))
                {
                    yield break;
                }
            }
            catch (RequestFailedException ex) when (ex.Status == 404)
            {
                yield break; // no table yet: nothing was ever held
            }
            yield return HoldOf(rows.Current);
        }
    }

    private static GuardHold HoldOf(TableEntity e) => new(
        e.PartitionKey,
        e.GetString(nameof(GuardHold.EventId)) ?? "",
        e.GetInt64(nameof(GuardHold.Sequence)) ?? 0,
        e.GetDateTimeOffset(nameof(GuardHold.HeldAt)) ?? DateTimeOffset.MinValue,
        e.GetString(nameof(GuardHold.UserId)) ?? "",
        e.GetString(nameof(GuardHold.Role)) ?? "",
        e.GetBoolean(nameof(GuardHold.Removal)) ?? false,
        e.GetString(nameof(GuardHold.Body)) ?? "",
        Enum.TryParse<GuardDecision>(e.GetString(nameof(GuardHold.Decision)), out var decision) ? decision : GuardDecision.Held,
        e.GetString(nameof(GuardHold.DecidedBy)),
        e.GetDateTimeOffset(nameof(GuardHold.DecidedAt))) { ETag = e.ETag.ToString() };

    private async Task<TableEntity?> GetAsync(string partitionKey, string rowKey, CancellationToken cancellationToken)
    {
        try
        {
            var response = await table.GetEntityIfExistsAsync<TableEntity>(partitionKey, rowKey, cancellationToken: cancellationToken).ConfigureAwait(false);
            return response.HasValue ? response.Value : null;
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            return null; // no table yet
        }
    }

    /// <summary>The new ETag, or null when another writer got there first.</summary>
    private async Task<string?> TryWriteAsync(TableEntity entity, string? etag, CancellationToken cancellationToken)
    {
        try
        {
            var response = etag is null
                ? await table.AddEntityAsync(entity, cancellationToken).ConfigureAwait(false)
                : await table.UpdateEntityAsync(entity, new ETag(etag), TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
            return response.Headers.ETag?.ToString();
        }
        catch (RequestFailedException ex) when (ex.Status == 404 && etag is null)
        {
            await table.CreateIfNotExistsAsync(cancellationToken).ConfigureAwait(false); // the first write: make the table
            return await TryWriteAsync(entity, etag, cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException ex) when (ex.Status is 404 or 409 or 412)
        {
            return null; // another host wrote first (or deleted the row under us)
        }
    }
}
