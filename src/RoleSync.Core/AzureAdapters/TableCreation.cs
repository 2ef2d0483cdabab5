using Azure.Data.Tables;

namespace RoleSync.AzureAdapters;

/// <summary>Creates a table on first use, once; a failed attempt (identity not ready yet, a network blip) is tried again next call.</summary>
internal sealed class TableCreation(TableClient table)
{
    private Task? _tableReady;

    public async Task EnsureAsync(CancellationToken cancellationToken)
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
        catch when (ready.IsFaulted || ready.IsCanceled)
        {
            _ = Interlocked.CompareExchange(ref _tableReady, null, ready);
            throw;
        }
    }
}
