using System.ComponentModel.DataAnnotations;
using NCrontab;
using RoleSync.Reconcile;

namespace RoleSync.Functions;

/// <summary>
/// The <see cref="ReconcileFunction"/>'s settings: <c>Reconcile__Schedule</c>, the 6-field NCRONTAB expression its timer
/// trigger reads (<c>%Reconcile:Schedule%</c>), and <c>Reconcile__Mode</c>, <c>Repair</c> (default) or <c>Report</c>.
/// </summary>
/// <remarks>
/// The schedule has no default in code: the Functions host resolves the binding expression from the app settings
/// itself, so the setting must exist. The infrastructure and local.settings.sample.json set
/// <see cref="DefaultSchedule"/>; the app refuses to start without a schedule the host could run.
/// </remarks>
public sealed class ReconcileOptions : IValidatableObject
{
    public const string SectionName = "Reconcile";

    /// <summary>The configuration key of the schedule, as the trigger's binding expression names it.</summary>
    public const string ScheduleKey = SectionName + ":" + nameof(Schedule);

    /// <summary>Every 15 minutes, on the quarter hour.</summary>
    public const string DefaultSchedule = "0 */15 * * * *";

    private static readonly CrontabSchedule.ParseOptions SixFields = new() { IncludingSeconds = true };

    /// <summary><c>Reconcile__Schedule</c>: second minute hour day month day-of-week, as the Functions host reads it.</summary>
    public string? Schedule { get; set; }

    /// <summary><c>Reconcile__Mode</c>: <c>Repair</c> or <c>Report</c> (case-insensitive).</summary>
    public string Mode { get; set; } = nameof(ReconcileMode.Repair);

    /// <summary><see cref="Mode"/> as the reconciler's mode (a method: validation reads every property, and this throws on a bad mode).</summary>
    public ReconcileMode ToReconcileMode() => TryParseMode(Mode) ?? throw new InvalidOperationException($"Reconcile__Mode is '{Mode}', not a mode.");

    /// <summary>Problems, each naming the setting to fix; empty when the settings are usable.</summary>
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (string.IsNullOrWhiteSpace(Schedule))
        {
            yield return new($"Reconcile__Schedule is not set: it is the Reconcile function's timer schedule (the trigger reads %{ScheduleKey}%), " +
                $"a 6-field NCRONTAB expression (second minute hour day month day-of-week), e.g. {DefaultSchedule} for every 15 minutes.");
        }
        else if (CrontabSchedule.TryParse(Schedule, SixFields) is null)
        {
            yield return new($"Reconcile__Schedule is '{Schedule}', not a 6-field NCRONTAB expression (second minute hour day month day-of-week), " +
                $"e.g. {DefaultSchedule} for every 15 minutes.");
        }
        if (TryParseMode(Mode) is null)
        {
            yield return new($"Reconcile__Mode is '{Mode}': use {nameof(ReconcileMode.Repair)} (put drifted roles back, the default) " +
                $"or {nameof(ReconcileMode.Report)} (only count and log them).");
        }
    }

    private static ReconcileMode? TryParseMode(string? value) =>
        Enum.GetValues<ReconcileMode>().Select(m => (ReconcileMode?)m).FirstOrDefault(m => string.Equals(m.ToString(), value?.Trim(), StringComparison.OrdinalIgnoreCase));
}
