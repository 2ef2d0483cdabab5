using System.ComponentModel.DataAnnotations;

namespace RoleSync.Quarantine;

/// <summary>
/// Configuration section "Quarantine": when RoleSync stops calling Clerk for the whole deployment because the evidence
/// says the system, not the message, is broken (<see cref="QuarantineTriggers"/>), and how it probes its way out.
/// </summary>
public sealed class QuarantineOptions : IValidatableObject
{
    /// <summary>The configuration section, "Quarantine".</summary>
    public const string SectionName = "Quarantine";

    /// <summary>The probe intervals when none are configured: 1, 2, 5, 15 and 30 minutes; the last repeats.</summary>
    public static IReadOnlyList<TimeSpan> DefaultProbeSchedule { get; } =
        [TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(2), TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(15), TimeSpan.FromMinutes(30)];

    /// <summary>On by default; <c>false</c> turns quarantine off (every failure then takes the normal retry budget).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Open when more than this share of this host's Clerk calls in one minute failed transiently (5xx, 408, timeouts, network errors).</summary>
    [Range(0.01, 1.0, ErrorMessage = "Quarantine:FailureRatio must be between 0.01 and 1.0 (e.g. 0.5 for 50 %).")]
    public double FailureRatio { get; set; } = 0.5;

    /// <summary>The ratio counts only once this host made at least this many Clerk calls in the minute.</summary>
    [Range(1, 1_000_000, ErrorMessage = "Quarantine:MinCalls must be between 1 and 1000000.")]
    public int MinCalls { get; set; } = 50;

    /// <summary>
    /// The wait before probe 1, 2, …; the last repeats. Unset or empty: <see cref="DefaultProbeSchedule"/>. App settings:
    /// <c>Quarantine__ProbeSchedule__0=00:01:00</c>, <c>Quarantine__ProbeSchedule__1=00:02:00</c>, ….
    /// </summary>
    public TimeSpan[]? ProbeSchedule { get; set; }

    /// <summary>The table holding the deployment's one quarantine row, in the ledger's storage account.</summary>
    [RegularExpression("^[A-Za-z][A-Za-z0-9]{2,62}$", ErrorMessage = "Quarantine:TableName must be 3-63 letters or digits, starting with a letter.")]
    public string TableName { get; set; } = "rolesyncquarantine";

    /// <summary>How long a host reuses the state it read (bounds Table reads: one per host per this period).</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:01:00", ErrorMessage = "Quarantine:CacheDuration must be between 00:00:01 and 00:01:00.")]
    public TimeSpan CacheDuration { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>The wait before probe <paramref name="probe"/> (0: the first, counted from the opening).</summary>
    public TimeSpan ProbeDelay(int probe)
    {
        IReadOnlyList<TimeSpan> schedule = ProbeSchedule is { Length: > 0 } configured ? configured : DefaultProbeSchedule;
        return schedule[Math.Clamp(probe, 0, schedule.Count - 1)];
    }

    /// <inheritdoc/>
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (ProbeSchedule?.Any(d => d < TimeSpan.FromSeconds(1) || d > TimeSpan.FromDays(1)) == true)
        {
            yield return new ValidationResult(
                $"Quarantine:ProbeSchedule must each be between 00:00:01 and 1.00:00:00 (got {string.Join(", ", ProbeSchedule)}); e.g. Quarantine__ProbeSchedule__0=00:01:00.",
                [nameof(ProbeSchedule)]);
        }
    }
}
