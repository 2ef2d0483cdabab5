using Microsoft.Extensions.Logging;
using RoleSync.Contract;
using RoleSync.Ledger;
using RoleSync.Processing;

namespace RoleSync.History;

/// <summary>
/// Writes the membership history where an outcome is known: <see cref="RoleChangeProcessor"/> calls
/// <see cref="RecordAsync"/> once per processed message (one entry: in Table Storage two writes, the entry and its tally row), <see cref="Reconcile.Reconciler"/>
/// calls <see cref="RecordRepairAsync"/> once per membership it repaired. Best effort: a failing history table is logged
/// (warning <c>HistoryWriteFailed</c>) and counted (<c>rolesync.history.write_failures</c>), never allowed to change the
/// message's outcome or settlement — the ledger, not the history, decides what is applied, so a lost entry can neither
/// lose the change nor apply it twice.
/// </summary>
public sealed partial class MembershipHistoryRecorder(
    IMembershipHistory history,
    RoleSyncTelemetry telemetry,
    TimeProvider timeProvider,
    ILogger<MembershipHistoryRecorder> logger)
{
    /// <summary>
    /// The entry for a processing result: applied, stale (+ superseding event), duplicate, rejected (+ reason), retried
    /// (+ reason; rejected <see cref="Reasons.RetriesExhausted"/> on the <see cref="ProcessingContext.LastAttempt"/>), or
    /// repaired-by-verification when a stale or duplicate message's verification put Clerk back. Invalid messages
    /// (no membership) and dry-run outcomes have no entry.
    /// </summary>
    public async Task RecordAsync(ProcessingResult result, ProcessingContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(context);
        if (result.Change is not { } change || Of(result, context) is not { } of)
        {
            return;
        }
        var entry = Entry(change, of.Outcome, of.Reason, context.EntryPoint, context.Principal, context.Attempt) with
        {
            SupersededBy = of.Outcome == HistoryOutcome.Stale ? result.SupersededBy : null,
            Detail = result.Detail,
        };
        await AppendAsync(entry, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The reconciler put <paramref name="record"/>'s membership back on its desired role.</summary>
    public async Task RecordRepairAsync(MembershipRecord record, VerifyResult verify, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        ArgumentNullException.ThrowIfNull(verify);
        if (DesiredRole.Of(record) is not { } desired)
        {
            return;
        }
        var entry = Entry(desired.Change, HistoryOutcome.RepairedByReconcile, null, EntryPoint.Reconcile, null, 1) with
        {
            EffectiveAt = timeProvider.GetUtcNow(),
            Role = verify.DesiredRole ?? desired.Role,
            Detail = $"Clerk held {verify.ClerkRole}, repaired to {verify.DesiredRole ?? desired.Role}",
        };
        await AppendAsync(entry, cancellationToken).ConfigureAwait(false);
    }

    private static (HistoryOutcome Outcome, string? Reason)? Of(ProcessingResult result, ProcessingContext context)
    {
        bool repaired = result.Verification?.Status == VerifyStatus.Repaired;
        return result.Outcome switch
        {
            Outcome.Applied => (HistoryOutcome.Applied, null),
            Outcome.Stale or Outcome.Duplicate when repaired => (HistoryOutcome.RepairedByVerification, null),
            Outcome.Stale => (HistoryOutcome.Stale, null),
            Outcome.Duplicate => (HistoryOutcome.Duplicate, null),
            Outcome.Rejected => (HistoryOutcome.Rejected, result.Reason),
            Outcome.Transient when result.Reason == Reasons.HeldForApproval => (HistoryOutcome.Held, result.Reason),
            Outcome.Transient when context.LastAttempt => (HistoryOutcome.Rejected, Reasons.RetriesExhausted),
            Outcome.Transient => (HistoryOutcome.Retried, result.Reason),
            _ => null,
        };
    }

    private MembershipHistoryEntry Entry(RoleChange change, HistoryOutcome outcome, string? reason, EntryPoint entryPoint, string? principal, int attempt) => new(
        change.OrganizationId, change.UserId, change.EventId, change.OccurredAt, change.EffectiveAt, change.Role, change.Source, change.Reason,
        outcome, reason, null, null, timeProvider.GetUtcNow(), entryPoint, principal, attempt);

    private async Task AppendAsync(MembershipHistoryEntry entry, CancellationToken cancellationToken)
    {
        try
        {
            await history.AppendAsync(entry, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            telemetry.HistoryWriteFailures.Add(1);
            LogWriteFailed(logger, ex, entry.OrganizationId, entry.UserId, entry.EventId, entry.Outcome, ex.GetType().Name);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, EventName = "HistoryWriteFailed",
        Message = "Could not write the history entry of {OrganizationId}/{UserId} for {EventId} ({Outcome}): {Error}; the change itself is unaffected")]
    private static partial void LogWriteFailed(ILogger logger, Exception exception, string organizationId, string userId, string eventId, HistoryOutcome outcome, string error);
}
