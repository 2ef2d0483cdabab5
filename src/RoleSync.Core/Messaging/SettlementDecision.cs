namespace RoleSync.Messaging;

/// <summary>What to do with a message once it has been processed. A closed set: one of the four nested records.</summary>
public abstract record SettlementDecision
{
    private SettlementDecision()
    {
    }

    /// <summary>The outcome is final (applied, stale, duplicate): remove the message.</summary>
    public sealed record Complete : SettlementDecision;

    /// <summary>
    /// Transient failure with budget left: enqueue a copy as attempt <see cref="NextAttempt"/> at <see cref="EnqueueAt"/>
    /// (now + <see cref="Delay"/>), then complete the original. <see cref="Throttled"/>: the lineage's count of
    /// reschedules because Clerk's limit was spent, which keep the attempt number.
    /// </summary>
    public sealed record ScheduleRetry(int NextAttempt, TimeSpan Delay, DateTimeOffset EnqueueAt, string LastReason, int Throttled = 0) : SettlementDecision;

    /// <summary>Give up: move the message to the dead-letter queue with this reason, description and properties.</summary>
    public sealed record DeadLetter(string Reason, string Description, IReadOnlyDictionary<string, object> Properties) : SettlementDecision;

    /// <summary>
    /// The retry copy could not be made or scheduled, and the queue allows more deliveries: leave the message unsettled,
    /// so its lock expires and the broker delivers it again after the queue's lock duration (no hot redelivery).
    /// <see cref="Failure"/> says why.
    /// </summary>
    public sealed record LetLockExpire(string Failure) : SettlementDecision;
}
