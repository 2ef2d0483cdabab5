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
/// <see cref="Reasons.RetriesExhausted"/> with the last cause. <see cref="Reasons.ClerkRateLimited"/> (Clerk's shared
/// limit spent) reschedules without spending an attempt, up to <see cref="RetryOptions.MaxThrottledReschedules"/>;
/// <see cref="Reasons.Quarantined"/> does so without a limit (the quarantine's probes end it), and so does
/// <see cref="Reasons.HeldForApproval"/> (an operator's decision ends it). When the retry copy cannot be scheduled,
/// <see cref="WhenRetryCopyFails"/> decides.
/// </remarks>
public static class SettlementPolicy
{
    /// <summary>Dead-letter descriptions are cut to this (Service Bus allows far more: 4 KiB per header value).</summary>
    public const int MaxDescriptionLength = ProcessingResult.MaxDetailLength;

    /// <param name="result">The attempt's processing result.</param>
    /// <param name="attempt">Which attempt it was (1 or more).</param>
    /// <param name="options">The retry options.</param>
    /// <param name="now">The time of the decision.</param>
    /// <param name="throttled">The lineage's reschedules so far because Clerk's limit was spent (<see cref="MessageLineage.Throttled"/>).</param>
    public static SettlementDecision Decide(ProcessingResult result, int attempt, RetryOptions options, DateTimeOffset now, int throttled = 0)
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
                if (cause is Reasons.Quarantined or Reasons.HeldForApproval)
                {
                    // Held by the bulk-change guard: likewise, until an operator approves or rejects it.
                    // RoleSync is in quarantine: no attempt was made (or the failure was the system's). Same attempt,
                    // after the next probe, for as long as it lasts; the copy is named by the reschedule count.
                    var hold = result.RetryAfter is { } until && until > TimeSpan.Zero ? (until < RetryOptions.MaxDelay ? until : RetryOptions.MaxDelay) : RetryOptions.ThrottledDelay;
                    return new SettlementDecision.ScheduleRetry(attempt, hold, now + hold, cause, throttled + 1);
                }
                if (cause == Reasons.ClerkRateLimited && throttled < options.MaxThrottledReschedules)
                {
                    // Clerk's limit is shared with the other hosts and the customer's app: spent, it says nothing about
                    // this message. Same attempt, later; the copy is named by the throttle count.
                    var wait = result.RetryAfter is { } after && after > RetryOptions.ThrottledDelay
                        ? (after < RetryOptions.MaxDelay ? after : RetryOptions.MaxDelay)
                        : RetryOptions.ThrottledDelay;
                    return new SettlementDecision.ScheduleRetry(attempt, wait, now + wait, cause, throttled + 1);
                }
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
                return new SettlementDecision.ScheduleRetry(attempt + 1, delay, now + delay, cause, throttled);

            default:
                throw new ArgumentException($"{result.Outcome} is a dry-run outcome; only processing results can be settled.", nameof(result));
        }
    }

    /// <summary>
    /// The retry copy <paramref name="retry"/> could not be scheduled (or signed) because of <paramref name="failure"/>.
    /// While the queue allows more deliveries, <see cref="SettlementDecision.LetLockExpire"/>: the message comes back
    /// after the lock duration with its DeliveryCount one higher, and its copy is tried again. On the last delivery
    /// RoleSync counts on (<paramref name="deliveryCount"/> ≥ <paramref name="maxDeliveryCount"/> − 1, one short of the
    /// broker's own limit so the broker never dead-letters it first as <c>MaxDeliveryCountExceeded</c>), dead-letter it
    /// with the transient cause as the reason and a description naming the copy that could not be scheduled.
    /// </summary>
    public static SettlementDecision WhenRetryCopyFails(
        ProcessingResult result, SettlementDecision.ScheduleRetry retry, int attempt, int deliveryCount, int maxDeliveryCount, string failure, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(retry);
        ArgumentNullException.ThrowIfNull(failure);
        if (deliveryCount < maxDeliveryCount - 1)
        {
            return new SettlementDecision.LetLockExpire(failure);
        }
        var description = $"The retry copy for attempt {retry.NextAttempt} could not be scheduled on delivery {deliveryCount} " +
            $"(ServiceBus:MaxDeliveryCount {maxDeliveryCount}): {failure}; last failure {retry.LastReason}: {result.Detail}";
        return DeadLetter(retry.LastReason, description, attempt, now, retry.LastReason);
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
