using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace RoleSync;

/// <summary>
/// RoleSync's traces and metrics. Spans come from the static <see cref="ActivitySource"/>; instruments are created
/// from the host's <see cref="IMeterFactory"/> (register this class as a singleton), so each host, and each test,
/// has its own. Both are named <see cref="Name"/>: enable that source and meter in OpenTelemetry.
/// </summary>
public sealed class RoleSyncTelemetry
{
    public const string Name = "RoleSync";

    // Tag names on spans and metrics.
    public const string OutcomeTag = "rolesync.outcome";
    public const string ReasonTag = "rolesync.reason";
    public const string SettlementTag = "rolesync.settlement";
    public const string StatusTag = "rolesync.status";

    public static ActivitySource ActivitySource { get; } = new(Name, RoleSyncInfo.Version);

    public RoleSyncTelemetry(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        var meter = meterFactory.Create(Name, RoleSyncInfo.Version);
        Messages = meter.CreateCounter<long>("rolesync.messages", "{message}",
            "Messages processed, by outcome, reason and settlement.");
        ProcessingDuration = meter.CreateHistogram<double>("rolesync.message.duration", "s",
            "Time from receiving a message to settling it.");
        RetriesScheduled = meter.CreateCounter<long>("rolesync.retries.scheduled", "{message}",
            "Retry copies scheduled after a transient failure, by reason.");
        ReconcileChecked = meter.CreateCounter<long>("rolesync.reconcile.checked", "{membership}",
            "Memberships the reconciler compared with Clerk.");
        ReconcileDrift = meter.CreateCounter<long>("rolesync.reconcile.drift", "{membership}",
            "Memberships the reconciler found on another role than the desired one, by status.");
        ReconcileRepaired = meter.CreateCounter<long>("rolesync.reconcile.repaired", "{membership}",
            "Memberships the reconciler put back on their desired role.");
        HistoryWriteFailures = meter.CreateCounter<long>("rolesync.history.write_failures", "{entry}",
            "Membership history entries that could not be written (best effort: the change itself went on).");
        GuardHeld = meter.CreateCounter<long>("rolesync.guard.held", "{change}",
            "Privilege-reducing changes the bulk-change guard held for an operator's approval (alert on any).");
    }

    /// <summary>Tags: <see cref="OutcomeTag"/>, <see cref="ReasonTag"/> ("none" when there is none), <see cref="SettlementTag"/>.</summary>
    public Counter<long> Messages { get; }

    /// <summary>Seconds; tags as <see cref="Messages"/>.</summary>
    public Histogram<double> ProcessingDuration { get; }

    /// <summary>Tag: <see cref="ReasonTag"/>.</summary>
    public Counter<long> RetriesScheduled { get; }

    public Counter<long> ReconcileChecked { get; }

    /// <summary>Tag: <see cref="StatusTag"/>.</summary>
    public Counter<long> ReconcileDrift { get; }

    public Counter<long> ReconcileRepaired { get; }

    /// <summary>History entries lost to a failing history table (<see cref="History.MembershipHistoryRecorder"/>).</summary>
    public Counter<long> HistoryWriteFailures { get; }

    /// <summary>Changes held by the bulk-change guard (<see cref="Guard.BulkChangeGuard"/>), counted once per hold.</summary>
    public Counter<long> GuardHeld { get; }
}
