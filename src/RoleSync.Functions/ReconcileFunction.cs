using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RoleSync.History;
using RoleSync.Quarantine;
using RoleSync.Reconcile;

namespace RoleSync.Functions;

/// <summary>
/// The timer trigger (<c>Reconcile__Schedule</c>): one <see cref="Reconciler"/> pass over every membership the ledger
/// knows, in <c>Reconcile__Mode</c>, and one log line with its summary. The core logs each repair and counts the
/// <c>rolesync.reconcile.*</c> metrics; the host runs one invocation at a time across instances. After the pass, the
/// membership history's retention (<c>History__RetentionDays</c>) is enforced (<see cref="HistoryRetention"/>, at most
/// daily). Skipped while RoleSync is in quarantine (no Clerk calls then).
/// </summary>
public sealed partial class ReconcileFunction(
    Reconciler reconciler, HistoryRetention retention, IOptions<ReconcileOptions> options, QuarantineCircuit quarantine, ILogger<ReconcileFunction> logger)
{
    public const string Name = "Reconcile";

    [Function(Name)]
    public async Task RunAsync([TimerTrigger("%" + ReconcileOptions.ScheduleKey + "%")] TimerInfo timer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(timer);
        if ((await quarantine.CurrentAsync(cancellationToken).ConfigureAwait(false)).Active)
        {
            LogSkippedInQuarantine(logger);
            return; // no Clerk calls while in quarantine; the next pass after it closes catches up
        }
        var mode = options.Value.ToReconcileMode();
        var summary = await reconciler.RunAsync(mode, organizationId: null, static _ => Task.CompletedTask, cancellationToken).ConfigureAwait(false);
        LogSummary(logger, summary.Converged ? LogLevel.Information : LogLevel.Warning, mode, summary.Checked, summary.InSync, summary.Repaired,
            summary.Drift, summary.NotAMember, summary.ManagedByDirectory, summary.Failed, timer.IsPastDue);
        await retention.SweepIfDueAsync(cancellationToken).ConfigureAwait(false);
    }

    [LoggerMessage(EventId = 1101, EventName = "ReconcileSkippedInQuarantine", Level = LogLevel.Warning,
        Message = "Reconcile skipped: RoleSync is in quarantine (GET /api/status says why)")]
    private static partial void LogSkippedInQuarantine(ILogger logger);

    /// <summary>The summary's counts as structured fields (queries and alerts on Drift, Failed), in <see cref="ReconcileSummary"/>'s words.</summary>
    [LoggerMessage(EventId = 1100, EventName = "ReconcileCompleted", Message = "Reconcile ({Mode}): {Checked} checked: {InSync} in sync, {Repaired} repaired, " +
        "{Drift} drift, {NotAMember} not a member, {ManagedByDirectory} managed by directory, {Failed} failed (past due: {PastDue})")]
    private static partial void LogSummary(ILogger logger, LogLevel level, ReconcileMode mode, int @checked, int inSync, int repaired,
        int drift, int notAMember, int managedByDirectory, int failed, bool pastDue);
}
