using Microsoft.Extensions.Logging;
using RoleSync.Clerk;
using RoleSync.History;
using RoleSync.Ledger;
using RoleSync.Processing;

namespace RoleSync.Reconcile;

/// <summary>
/// Walks every membership the ledger knows, organization by organization, reads Clerk's state in bulk (up to
/// <see cref="BatchSize"/> members per request), compares it with each membership's <see cref="DesiredRole"/> and, in
/// <see cref="ReconcileMode.Repair"/>, puts a different role back through <see cref="MembershipConverger"/> (the same
/// conditional writes and rate budget as the queue). Memberships whose newest change is pending or whose Clerk state is
/// unknown are verified like any other; a role changed in Clerk by someone else (the dashboard) is drift like any other.
/// Each repair is written to the membership history (<see cref="HistoryOutcome.RepairedByReconcile"/>).
/// </summary>
public sealed partial class Reconciler(
    IMembershipLedger ledger,
    ClerkClient clerk,
    MembershipConverger converger,
    MembershipHistoryRecorder history,
    RoleSyncTelemetry telemetry,
    ILogger<Reconciler> logger)
{
    /// <summary>Members read from Clerk per request (Clerk's limit on repeated <c>user_id</c> filters).</summary>
    public const int BatchSize = 100;

    /// <summary>One pass; <paramref name="onItem"/> gets every membership not in sync, in ledger order.</summary>
    public async Task<ReconcileSummary> RunAsync(ReconcileMode mode, string? organizationId, Func<ReconcileItem, Task> onItem, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(onItem);
        var tally = new Dictionary<VerifyStatus, int>();
        var batch = new List<MembershipRecord>(BatchSize);
        await using var records = ledger.ListAsync(organizationId, cancellationToken).GetAsyncEnumerator(cancellationToken);
        while (await NextAsync(records, cancellationToken).ConfigureAwait(false))
        {
            var record = records.Current;
            if (batch.Count == BatchSize || (batch.Count > 0 && batch[0].OrganizationId != record.OrganizationId))
            {
                await CheckAsync(batch, mode, tally, onItem, cancellationToken).ConfigureAwait(false);
                batch.Clear();
            }
            batch.Add(record);
        }
        await CheckAsync(batch, mode, tally, onItem, cancellationToken).ConfigureAwait(false);
        int Count(VerifyStatus status) => tally.GetValueOrDefault(status);
        return new ReconcileSummary(tally.Values.Sum(), Count(VerifyStatus.InSync), Count(VerifyStatus.Repaired), Count(VerifyStatus.Drift),
            Count(VerifyStatus.NotAMember), Count(VerifyStatus.ManagedByDirectory), Count(VerifyStatus.Failed));
    }

    /// <summary>The next ledger record; a failure of the ledger (only) is a <see cref="LedgerUnavailableException"/>.</summary>
    private static async Task<bool> NextAsync(IAsyncEnumerator<MembershipRecord> records, CancellationToken cancellationToken)
    {
        try
        {
            return await records.MoveNextAsync().ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            throw new LedgerUnavailableException($"Could not list the ledger: {ex.GetType().Name}: {ex.Message}", ex);
        }
    }

    private async Task CheckAsync(List<MembershipRecord> batch, ReconcileMode mode, Dictionary<VerifyStatus, int> tally, Func<ReconcileItem, Task> onItem, CancellationToken cancellationToken)
    {
        if (batch.Count == 0)
        {
            return;
        }
        var observed = await ObserveAsync(batch, cancellationToken).ConfigureAwait(false);
        foreach (var record in batch)
        {
            VerifyResult verify;
            try
            {
                verify = observed is null
                    ? await converger.VerifyAsync(record.OrganizationId, record.UserId, mode == ReconcileMode.Repair, cancellationToken).ConfigureAwait(false)
                    : await converger.VerifyAsync(record, observed.GetValueOrDefault(record.UserId), mode == ReconcileMode.Repair, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is LedgerUnavailableException or Secrets.ClerkSecretUnavailableException)
            {
                verify = new VerifyResult(VerifyStatus.Failed, Failure: ProcessingResult.Transient(record.NewestChange(), Reasons.LedgerUnavailable, ex.Message));
            }
            tally[verify.Status] = tally.GetValueOrDefault(verify.Status) + 1;
            telemetry.ReconcileChecked.Add(1);
            if (verify.Status == VerifyStatus.InSync)
            {
                continue;
            }
            telemetry.ReconcileDrift.Add(1, new KeyValuePair<string, object?>(RoleSyncTelemetry.StatusTag, KebabCaseEnumConverter<VerifyStatus>.NameOf(verify.Status)));
            if (verify.Status == VerifyStatus.Repaired)
            {
                telemetry.ReconcileRepaired.Add(1);
                LogRepaired(logger, record.OrganizationId, record.UserId, verify.ClerkRole, verify.DesiredRole);
                await history.RecordRepairAsync(record, verify, cancellationToken).ConfigureAwait(false);
            }
            var detail = verify.Failure is { } failure ? $"{failure.Reason}: {failure.Detail}" : null;
            await onItem(new ReconcileItem(record.OrganizationId, record.UserId, verify.DesiredRole ?? DesiredRole.Of(record)?.Role, verify.ClerkRole, verify.Status, detail)).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Clerk's memberships of the batch's users in one request (absent from the answer: not a member); null when the bulk
    /// read failed, and each membership is then read on its own by the verification.
    /// </summary>
    private async Task<IReadOnlyDictionary<string, ClerkMembership>?> ObserveAsync(List<MembershipRecord> batch, CancellationToken cancellationToken)
    {
        ClerkListResult result;
        try
        {
            result = await clerk.ListMembershipsAsync(batch[0].OrganizationId, [.. batch.Select(r => r.UserId)], cancellationToken).ConfigureAwait(false);
        }
        catch (Secrets.ClerkSecretUnavailableException ex)
        {
            LogBulkReadFailed(logger, batch[0].OrganizationId, ex.Message); // each membership is then reported failed
            return null;
        }
        if (result.Error is { } error)
        {
            LogBulkReadFailed(logger, batch[0].OrganizationId, error.ToString());
            return null;
        }
        return result.Memberships.ToDictionary(m => m.UserId, StringComparer.Ordinal);
    }

    [LoggerMessage(Level = LogLevel.Warning, EventName = "ReconcileBulkReadFailed",
        Message = "Reconciler could not read {OrganizationId}'s memberships in bulk ({Error}); reading them one by one")]
    private static partial void LogBulkReadFailed(ILogger logger, string organizationId, string error);

    [LoggerMessage(Level = LogLevel.Warning, EventName = "ReconcileRepaired",
        Message = "Reconciler repaired {OrganizationId}/{UserId}: Clerk held {ClerkRole}, desired {DesiredRole}")]
    private static partial void LogRepaired(ILogger logger, string organizationId, string userId, string? clerkRole, string? desiredRole);
}
