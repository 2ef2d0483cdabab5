using Azure.Data.Tables;

namespace RoleSync.AzureAdapters;

/// <summary>Creates a table once, on first use, for the Table adapters; a failed attempt (identity not ready yet, a network blip) is tried again next call.</summary>
internal sealed class TableCreation(TableClient table)
{
    private Task? _ready;

    public async Task EnsureAsync(CancellationToken cancellationToken)
    {
        var ready = Volatile.Read(ref _ready);
        if (ready is null)
        {
            ready = table.CreateIfNotExistsAsync(CancellationToken.None);
            ready = Interlocked.CompareExchange(ref _ready, ready, null) ?? ready;
        }
        try
        {
            await ready.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch when (ready.IsFaulted || ready.IsCanceled)
        {
            _ = Interlocked.CompareExchange(ref _ready, null, ready);
            throw;
        }
    }
}
