using System.Globalization;
using RoleSync.Processing;

namespace RoleSync.Messaging;

/// <summary>
/// The settlement policy: a pure function from a processing result, the attempt number, the retry options and the time
/// to a <see cref="SettlementDecision"/>. No I/O; the Functions edge carries the decision out.
/// </summary>
/// <remarks>
/// Applied, Stale, Duplicate → complete. Rejected → dead-letter with the stable reason code and the detail.
/// Transient → a delayed retry (never an immediate redelivery, which would spend the queue's MaxDeliveryCount in
/// seconds during an outage): the delay is <see cref="RetryOptions.DelayBefore"/>, or Clerk's Retry-After when that is
/// longer; once <see cref="RetryOptions.MaxAttempts"/> attempts have failed, dead-letter as
/// <see cref="Reasons.RetriesExhausted"/> with the last cause.
/// </remarks>
public static class SettlementPolicy
{
    /// <summary>Dead-letter descriptions are cut to this (Service Bus allows far more: 4 KiB per header value).</summary>
    public const int MaxDescriptionLength = ProcessingResult.MaxDetailLength;

    public static SettlementDecision Decide(ProcessingResult result, int attempt, RetryOptions options, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(attempt, 1);

        switch (result.Outcome)
        {
            case Outcome.Applied or Outcome.Stale or Outcome.Duplicate:
                return new SettlementDecision.Complete();

            case Outcome.Rejected:
                var reason = result.Reason ?? nameof(Outcome.Rejected);
                return DeadLetter(reason, result.Detail ?? reason, attempt, now);

            case Outcome.Transient:
                var cause = result.Reason ?? nameof(Outcome.Transient);
                if (attempt >= options.MaxAttempts)
                {
                    var description = $"Gave up after {attempt} attempts (Retry:MaxAttempts {options.MaxAttempts}); last failure {cause}: {result.Detail}";
                    return DeadLetter(Reasons.RetriesExhausted, description, attempt, now, cause);
                }
                var delay = options.DelayBefore(attempt + 1);
                if (result.RetryAfter is { } retryAfter && retryAfter > delay)
                {
                    delay = retryAfter < RetryOptions.MaxDelay ? retryAfter : RetryOptions.MaxDelay;
                }
                return new SettlementDecision.ScheduleRetry(attempt + 1, delay, now + delay, cause);

            default:
                throw new ArgumentException($"{result.Outcome} is a dry-run outcome; only processing results can be settled.", nameof(result));
        }
    }

    private static SettlementDecision.DeadLetter DeadLetter(string reason, string description, int attempt, DateTimeOffset now, string? lastReason = null)
    {
        var properties = new Dictionary<string, object>
        {
            [MessageProperties.FailedAt] = now.UtcDateTime.ToString("O", CultureInfo.InvariantCulture),
            [MessageProperties.Attempt] = attempt,
            [MessageProperties.Version] = RoleSyncInfo.Version,
        };
        if (lastReason is not null)
        {
            properties[MessageProperties.LastReason] = lastReason;
        }
        return new SettlementDecision.DeadLetter(reason, ProcessingResult.CleanDetail(description), properties);
    }
}
