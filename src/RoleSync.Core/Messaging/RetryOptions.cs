using System.ComponentModel.DataAnnotations;

namespace RoleSync.Messaging;

/// <summary>
/// Configuration section "Retry": how a message whose processing failed transiently is tried again later (a scheduled
/// copy on the same queue, see <see cref="SettlementPolicy"/>), and when to give up.
/// </summary>
public sealed class RetryOptions : IValidatableObject
{
    public const string SectionName = "Retry";

    /// <summary>The longest delay accepted, from <see cref="Delays"/> or a Clerk Retry-After.</summary>
    public static readonly TimeSpan MaxDelay = TimeSpan.FromDays(1);

    public static IReadOnlyList<TimeSpan> DefaultDelays { get; } =
        [TimeSpan.FromSeconds(30), TimeSpan.FromMinutes(2), TimeSpan.FromMinutes(10), TimeSpan.FromMinutes(30), TimeSpan.FromHours(1)];

    /// <summary>
    /// Delay before attempt 2, 3, …; the last one repeats. Unset or empty: <see cref="DefaultDelays"/> (30 s, 2 min,
    /// 10 min, 30 min, 1 h). App settings: <c>Retry__Delays__0=00:00:30</c>, <c>Retry__Delays__1=00:02:00</c>, ….
    /// </summary>
    public TimeSpan[]? Delays { get; set; }

    /// <summary>Attempts in all, the first included; a message still failing transiently after that is dead-lettered.</summary>
    [Range(1, 100, ErrorMessage = "Retry:MaxAttempts must be between 1 and 100.")]
    public int MaxAttempts { get; set; } = 8;

    /// <summary>
    /// Reschedules because Clerk's shared rate limit was spent (a 429 beyond the in-process wait, or this host's limiter
    /// holding the call past its time) that do not count as attempts: the message is not at fault. Past this many
    /// (default 50, about an hour and a half of a limit spent by others at the default delay) each one counts again,
    /// so a limit that never frees still ends in the dead-letter queue instead of looping for ever.
    /// </summary>
    [Range(0, 1000, ErrorMessage = "Retry:MaxThrottledReschedules must be between 0 and 1000.")]
    public int MaxThrottledReschedules { get; set; } = 50;

    /// <summary>The least delay of a reschedule because Clerk's limit was spent: one rate-limit window and a half.</summary>
    public static readonly TimeSpan ThrottledDelay = TimeSpan.FromSeconds(15);

    /// <summary>The delay before attempt <paramref name="nextAttempt"/> (2 or more).</summary>
    public TimeSpan DelayBefore(int nextAttempt)
    {
        IReadOnlyList<TimeSpan> delays = Delays is { Length: > 0 } configured ? configured : DefaultDelays;
        return delays[Math.Clamp(nextAttempt - 2, 0, delays.Count - 1)];
    }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Delays?.Any(d => d < TimeSpan.FromSeconds(1) || d > MaxDelay) == true)
        {
            yield return new ValidationResult(
                $"Retry:Delays must each be between 00:00:01 and {MaxDelay:c} (got {string.Join(", ", Delays)}); e.g. Retry__Delays__0=00:00:30.",
                [nameof(Delays)]);
        }
    }
}
