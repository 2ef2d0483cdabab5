using System.ComponentModel.DataAnnotations;

namespace RoleSync.Functions.Messaging;

/// <summary>
/// Configuration section "Processing": how long one attempt of one queue message may take. Past
/// <see cref="AttemptDeadline"/> the attempt is cancelled (every Clerk, Key Vault and Table call with it) and ends
/// <c>Transient</c> <c>AttemptDeadlineExceeded</c>, settled as a retry. The deadline leaves room for settlement inside
/// host.json's <c>functionTimeout</c> (5 min) and the lock renewal (<c>maxAutoLockRenewalDuration</c>, 5 min): at most
/// four Service Bus operations of ≤ 42 s each (schedule, complete, abandon, cancel; README, "The retry budget").
/// </summary>
public sealed class ProcessingOptions
{
    public const string SectionName = "Processing";

    /// <summary>The longest deadline accepted: 5 min − 4 × 42 s of settlement, less a margin.</summary>
    public const string MaxAttemptDeadline = "00:02:00";

    /// <summary>Deadline of one attempt, from the message's arrival in the handler until settlement starts.</summary>
    [Range(typeof(TimeSpan), "00:00:01", MaxAttemptDeadline,
        ErrorMessage = "Processing:AttemptDeadline must be between 00:00:01 and " + MaxAttemptDeadline + " (settlement needs the rest of functionTimeout).")]
    public TimeSpan AttemptDeadline { get; set; } = TimeSpan.FromSeconds(90);
}
