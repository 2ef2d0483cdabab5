using Azure;
using Azure.Data.Tables;
using RoleSync.Quarantine;

namespace RoleSync.AzureAdapters;

/// <summary>
/// The deployment's quarantine row in Azure Table Storage (the ledger's account, table <c>Quarantine:TableName</c>):
/// PartitionKey <c>quarantine</c>, RowKey <c>circuit</c>; inserted when there is none, replaced on its ETag otherwise,
/// so concurrent writers never both win. The table is created on first use.
/// </summary>
public sealed class TableQuarantineStore(TableClient table) : IQuarantineStore
{
    private const string PartitionKey = "quarantine";
    private const string RowKey = "circuit";
    private Task? _tableReady;

    /// <inheritdoc/>
    public async Task<QuarantineState> ReadAsync(CancellationToken cancellationToken = default)
    {
        await EnsureTableAsync(cancellationToken).ConfigureAwait(false);
        var response = await table.GetEntityIfExistsAsync<TableEntity>(PartitionKey, RowKey, cancellationToken: cancellationToken).ConfigureAwait(false);
        if (!response.HasValue)
        {
            return QuarantineState.None;
        }
        var e = response.Value!;
        return new QuarantineState(
            e.GetBoolean(nameof(QuarantineState.Active)) ?? false,
            e.GetDateTimeOffset(nameof(QuarantineState.Since)),
            e.GetString(nameof(QuarantineState.Trigger)),
            e.GetString(nameof(QuarantineState.Detail)),
            e.GetDateTimeOffset(nameof(QuarantineState.NextProbeAt)),
            e.GetInt32(nameof(QuarantineState.Probes)) ?? 0,
            e.GetDateTimeOffset(nameof(QuarantineState.LastProbeAt)),
            e.GetString(nameof(QuarantineState.LastProbeResult)),
            e.GetDateTimeOffset(nameof(QuarantineState.ClosedAt)),
            e.GetString(nameof(QuarantineState.ProbeOrganizationId)),
            e.ETag.ToString());
    }

    /// <inheritdoc/>
    public async Task<QuarantineState?> TryWriteAsync(QuarantineState state, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(state);
        await EnsureTableAsync(cancellationToken).ConfigureAwait(false);
        var entity = new TableEntity(PartitionKey, RowKey)
        {
            [nameof(QuarantineState.Active)] = state.Active,
            [nameof(QuarantineState.Since)] = state.Since,
            [nameof(QuarantineState.Trigger)] = state.Trigger,
            [nameof(QuarantineState.Detail)] = state.Detail,
            [nameof(QuarantineState.NextProbeAt)] = state.NextProbeAt,
            [nameof(QuarantineState.Probes)] = state.Probes,
            [nameof(QuarantineState.LastProbeAt)] = state.LastProbeAt,
            [nameof(QuarantineState.LastProbeResult)] = state.LastProbeResult,
            [nameof(QuarantineState.ClosedAt)] = state.ClosedAt,
            [nameof(QuarantineState.ProbeOrganizationId)] = state.ProbeOrganizationId,
        };
        try
        {
            var response = state.ETag is null
                ? await table.AddEntityAsync(entity, cancellationToken).ConfigureAwait(false)
                : await table.UpdateEntityAsync(entity, new ETag(state.ETag), TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
            return state with { ETag = response.Headers.ETag?.ToString() };
        }
        catch (RequestFailedException ex) when (ex.Status is 409 or 412)
        {
            return null; // another host wrote first
        }
    }

    private async Task EnsureTableAsync(CancellationToken cancellationToken)
    {
        var ready = Volatile.Read(ref _tableReady);
        if (ready is null)
        {
            ready = table.CreateIfNotExistsAsync(CancellationToken.None);
            ready = Interlocked.CompareExchange(ref _tableReady, ready, null) ?? ready;
        }
        try
        {
            await ready.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception) when (!cancellationToken.IsCancellationRequested)
        {
            _ = Interlocked.CompareExchange(ref _tableReady, null, ready);
            throw;
        }
    }
}
