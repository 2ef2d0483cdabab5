using RoleSync.Ledger;

namespace RoleSync.Processing;

/// <summary>Ledger calls as the processing policy makes them: any failure but the caller's cancellation is a <see cref="LedgerUnavailableException"/>.</summary>
internal static class LedgerCalls
{
    public static async Task<MembershipRecord?> ReadAsync(IMembershipLedger ledger, string organizationId, string userId, CancellationToken cancellationToken)
    {
        try
        {
            return await ledger.GetAsync(organizationId, userId, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            throw new LedgerUnavailableException($"Could not read the ledger: {ex.GetType().Name}: {ex.Message}", ex);
        }
    }

    public static async Task<MembershipRecord> ReadExistingAsync(IMembershipLedger ledger, MembershipRecord record, CancellationToken cancellationToken) =>
        await ReadAsync(ledger, record.OrganizationId, record.UserId, cancellationToken).ConfigureAwait(false)
        ?? throw new LedgerUnavailableException($"The ledger record of {record.OrganizationId}/{record.UserId} disappeared while it was being processed.");

    public static async Task<MembershipRecord?> TryWriteAsync(IMembershipLedger ledger, MembershipRecord record, CancellationToken cancellationToken)
    {
        try
        {
            return await ledger.TryWriteAsync(record, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            throw new LedgerUnavailableException($"Could not write the ledger: {ex.GetType().Name}: {ex.Message}", ex);
        }
    }

    /// <summary>The record that last named <paramref name="change"/>'s user by its externalId or emailAddress.</summary>
    public static async Task<MembershipRecord?> FindByIdentifierAsync(IMembershipLedger ledger, Contract.RoleChange change, CancellationToken cancellationToken)
    {
        try
        {
            return await ledger.FindByIdentifierAsync(change.OrganizationId, change.ExternalId, change.EmailAddress, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            throw new LedgerUnavailableException($"Could not search the ledger: {ex.GetType().Name}: {ex.Message}", ex);
        }
    }

    public static async Task<string?> RecordEventAsync(IMembershipLedger ledger, string eventId, string content, CancellationToken cancellationToken)
    {
        try
        {
            return await ledger.RecordEventAsync(eventId, content, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            throw new LedgerUnavailableException($"Could not record the event in the ledger: {ex.GetType().Name}: {ex.Message}", ex);
        }
    }

    /// <summary>Sets <see cref="MembershipRecord.ClerkStateUnknown"/> on the current record, re-reading after lost races.</summary>
    public static async Task MarkUnknownAsync(IMembershipLedger ledger, MembershipRecord record, int maxRounds, CancellationToken cancellationToken)
    {
        for (int round = 0; round < maxRounds; round++)
        {
            if (record.ClerkStateUnknown || await TryWriteAsync(ledger, record with { ClerkStateUnknown = true }, cancellationToken).ConfigureAwait(false) is not null)
            {
                return;
            }
            if (await ReadAsync(ledger, record.OrganizationId, record.UserId, cancellationToken).ConfigureAwait(false) is not { } current)
            {
                return;
            }
            record = current;
        }
    }
}
