using Azure;
using Azure.Data.Tables;
using RoleSync.Quarantine;

namespace RoleSync.AzureAdapters;

/// <summary>
/// The deployment's quarantine row in Azure Table Storage (the ledger's account, table <c>Quarantine:TableName</c>):
/// PartitionKey <c>quarantine</c>, RowKey <c>circuit</c>; inserted when there is none, replaced on its ETag otherwise,
/// so concurrent writers never both win. The table is created by the first write (a missing table reads as no quarantine).
/// </summary>
public sealed class TableQuarantineStore(TableClient table) : IQuarantineStore
{
    private const string PartitionKey = "quarantine";
    private const string RowKey = "circuit";

    /// <inheritdoc/>
    public async Task<QuarantineState> ReadAsync(CancellationToken cancellationToken = default)
    {
        NullableResponse<TableEntity> response;
        try
        {
            response = await table.GetEntityIfExistsAsync<TableEntity>(PartitionKey, RowKey, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            return QuarantineState.None; // no table yet: never quarantined
        }
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
            return state with { ETag = (await WriteAsync(entity, state.ETag, cancellationToken).ConfigureAwait(false)).Headers.ETag?.ToString() };
        }
        catch (RequestFailedException ex) when (ex.Status == 404 && state.ETag is null)
        {
            // The first write of the deployment: the table is made then (a read of a missing table is "never quarantined").
            await table.CreateIfNotExistsAsync(cancellationToken).ConfigureAwait(false);
            return await TryWriteAsync(state, cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException ex) when (ex.Status is 409 or 412)
        {
            return null; // another host wrote first
        }
    }

    private async Task<Response> WriteAsync(TableEntity entity, string? etag, CancellationToken cancellationToken)
    {
        try
        {
            return etag is null
                ? await table.AddEntityAsync(entity, cancellationToken).ConfigureAwait(false)
                : await table.UpdateEntityAsync(entity, new ETag(etag), TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException ex) when (ex.Status == 404 && etag is not null)
        {
            throw new RequestFailedException(412, "The quarantine row is gone.", ex); // deleted under us: a lost race
        }
    }
}
