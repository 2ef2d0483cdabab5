namespace RoleSync.Functions.Tests.Messaging;

/// <summary>The pure settlement decision (core: RoleSync.Messaging.SettlementPolicy), table by table, without mocks.</summary>
public sealed class SettlementPolicyTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 28, 12, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(Outcome.Applied, 1)]
    [InlineData(Outcome.Stale, 1)]
    [InlineData(Outcome.Duplicate, 1)]
    [InlineData(Outcome.Applied, 8)]
    [InlineData(Outcome.Duplicate, 50)]
    public void Final_outcomes_complete(Outcome outcome, int attempt) =>
        Assert.IsType<SettlementDecision.Complete>(Decide(Result(outcome), attempt));

    [Theory]
    [InlineData(Reasons.InvalidMessage, "eventId: is required; role: must look like org:<key>", 1)]
    [InlineData(Reasons.MembershipNotFound, "user_x is not a member of org_y", 1)]
    [InlineData(Reasons.RoleNotFound, "Role org:ghost does not exist in organization org_y", 2)]
    [InlineData(Reasons.LastAdmin, "user_x is the last admin of org_y", 3)]
    [InlineData(Reasons.ManagedByDirectory, "managed by Clerk Directory Sync (SCIM)", 1)]
    [InlineData(Reasons.ClerkRejected, "Clerk answered 422 form_param_value_invalid", 8)]
    public void Rejections_are_dead_lettered_with_the_reason_code_and_the_detail(string reason, string detail, int attempt)
    {
        var decision = Assert.IsType<SettlementDecision.DeadLetter>(Decide(Result(Outcome.Rejected, reason, detail), attempt));

        Assert.Equal(reason, decision.Reason);
        Assert.Equal(detail, decision.Description);
        Assert.Equal("2026-11-28T12:00:00.0000000Z", decision.Properties[MessageProperties.FailedAt]);
        Assert.Equal(attempt, decision.Properties[MessageProperties.Attempt]);
        Assert.Equal(RoleSyncInfo.Version, decision.Properties[MessageProperties.Version]);
        Assert.False(decision.Properties.ContainsKey(MessageProperties.LastReason));
    }

    [Theory]
    [InlineData(1, 30, 2)]
    [InlineData(2, 120, 3)]
    [InlineData(3, 600, 4)]
    [InlineData(4, 1800, 5)]
    [InlineData(5, 3600, 6)]
    [InlineData(6, 3600, 7)]
    [InlineData(7, 3600, 8)]
    public void Transient_failures_schedule_a_retry_with_growing_delays_by_default(int attempt, int delaySeconds, int nextAttempt)
    {
        var decision = Assert.IsType<SettlementDecision.ScheduleRetry>(
            Decide(Result(Outcome.Transient, Reasons.ClerkUnavailable, "Clerk answered 503"), attempt));

        Assert.Equal(nextAttempt, decision.NextAttempt);
        Assert.Equal(TimeSpan.FromSeconds(delaySeconds), decision.Delay);
        Assert.Equal(Now.AddSeconds(delaySeconds), decision.EnqueueAt);
        Assert.Equal(Reasons.ClerkUnavailable, decision.LastReason);
    }

    [Theory]
    [InlineData(1, 10, 2)]
    [InlineData(2, 20, 3)]
    [InlineData(3, 20, 4)]
    public void Configured_delays_are_used_and_the_last_one_repeats(int attempt, int delaySeconds, int nextAttempt)
    {
        var options = new RetryOptions { Delays = [TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(20)], MaxAttempts = 4 };

        var decision = Assert.IsType<SettlementDecision.ScheduleRetry>(
            SettlementPolicy.Decide(Result(Outcome.Transient, Reasons.LedgerUnavailable, "Table Storage answered 503"), attempt, options, Now));

        Assert.Equal(TimeSpan.FromSeconds(delaySeconds), decision.Delay);
        Assert.Equal(nextAttempt, decision.NextAttempt);
    }

    [Theory]
    [InlineData(8, 8)]
    [InlineData(9, 8)]
    [InlineData(4, 4)]
    public void When_the_budget_is_spent_the_message_is_dead_lettered_as_RetriesExhausted_with_the_last_cause(int attempt, int maxAttempts)
    {
        var options = new RetryOptions { MaxAttempts = maxAttempts };
        var result = Result(Outcome.Transient, Reasons.ClerkRateLimited, "Clerk answered 429 too_many_requests retry after 600s", TimeSpan.FromMinutes(10));

        // Its reschedules for Clerk's spent limit used up too: the 429 now counts as an attempt like any other cause.
        var decision = Assert.IsType<SettlementDecision.DeadLetter>(SettlementPolicy.Decide(result, attempt, options, Now, throttled: options.MaxThrottledReschedules));

        Assert.Equal(Reasons.RetriesExhausted, decision.Reason);
        Assert.Contains($"after {attempt} attempts", decision.Description);
        Assert.Contains("ClerkRateLimited: Clerk answered 429 too_many_requests", decision.Description);
        Assert.Equal(Reasons.ClerkRateLimited, decision.Properties[MessageProperties.LastReason]);
        Assert.Equal(attempt, decision.Properties[MessageProperties.Attempt]);
        Assert.Equal("2026-11-28T12:00:00.0000000Z", decision.Properties[MessageProperties.FailedAt]);
        Assert.Equal(RoleSyncInfo.Version, decision.Properties[MessageProperties.Version]);
    }

    [Theory]
    [InlineData(1, 90, 90)]           // Clerk's Retry-After is longer than the backoff: wait as long as Clerk asks
    [InlineData(1, 20, 30)]           // shorter: the backoff still applies
    [InlineData(5, 600, 3600)]        // shorter than a later, longer backoff
    [InlineData(1, 3 * 86400, 86400)] // absurdly long: capped at a day
    public void A_Retry_After_longer_than_the_backoff_sets_the_delay(int attempt, int retryAfterSeconds, int expectedDelaySeconds)
    {
        var result = Result(Outcome.Transient, Reasons.ClerkUnavailable, "Clerk answered 503", TimeSpan.FromSeconds(retryAfterSeconds));

        var decision = Assert.IsType<SettlementDecision.ScheduleRetry>(Decide(result, attempt));

        Assert.Equal(TimeSpan.FromSeconds(expectedDelaySeconds), decision.Delay);
        Assert.Equal(Now.AddSeconds(expectedDelaySeconds), decision.EnqueueAt);
    }

    [Theory]
    [InlineData(1, 0, null, 15)]    // no Retry-After: one and a half rate-limit windows
    [InlineData(1, 0, 5, 15)]       // a short one: the same
    [InlineData(3, 7, 90, 90)]      // a long one: as long as Clerk asks
    [InlineData(8, 49, 20, 20)]     // the last attempt, one reschedule left: still not an attempt
    [InlineData(1, 0, 3 * 86400, 86400)]
    public void Clerks_spent_limit_reschedules_without_spending_an_attempt(int attempt, int throttled, int? retryAfterSeconds, int expectedDelaySeconds)
    {
        var result = Result(Outcome.Transient, Reasons.ClerkRateLimited, "Clerk answered 429",
            retryAfterSeconds is { } s ? TimeSpan.FromSeconds(s) : null);

        var decision = Assert.IsType<SettlementDecision.ScheduleRetry>(SettlementPolicy.Decide(result, attempt, new RetryOptions(), Now, throttled));

        Assert.Equal(attempt, decision.NextAttempt);
        Assert.Equal(throttled + 1, decision.Throttled);
        Assert.Equal(TimeSpan.FromSeconds(expectedDelaySeconds), decision.Delay);
        Assert.Equal(Reasons.ClerkRateLimited, decision.LastReason);
    }

    [Fact]
    public void Past_its_throttled_reschedules_a_429_counts_as_an_attempt_again_and_the_count_is_kept()
    {
        var options = new RetryOptions { MaxThrottledReschedules = 3 };
        var result = Result(Outcome.Transient, Reasons.ClerkRateLimited, "Clerk answered 429");

        var decision = Assert.IsType<SettlementDecision.ScheduleRetry>(SettlementPolicy.Decide(result, 2, options, Now, throttled: 3));

        Assert.Equal((3, 3, TimeSpan.FromMinutes(2)), (decision.NextAttempt, decision.Throttled, decision.Delay));
    }

    [Fact]
    public void Other_transient_causes_spend_an_attempt_and_keep_the_throttle_count()
    {
        var decision = Assert.IsType<SettlementDecision.ScheduleRetry>(
            SettlementPolicy.Decide(Result(Outcome.Transient, Reasons.ClerkUnavailable, "503"), 1, new RetryOptions(), Now, throttled: 4));
        Assert.Equal((2, 4), (decision.NextAttempt, decision.Throttled));
    }

    [Theory]
    [InlineData(Outcome.Rejected, Reasons.ClerkRejected)]
    [InlineData(Outcome.Transient, Reasons.ClerkUnavailable)]
    public void Dead_letter_descriptions_stay_short_and_on_one_line(Outcome outcome, string reason)
    {
        var detail = "first line\nsecond line " + new string('x', 5000);

        var decision = Assert.IsType<SettlementDecision.DeadLetter>(Decide(Result(outcome, reason, detail), attempt: 8));

        Assert.True(decision.Description.Length <= SettlementPolicy.MaxDescriptionLength, $"{decision.Description.Length} characters");
        Assert.DoesNotContain('\n', decision.Description);
    }

    [Theory]
    [InlineData(Outcome.WouldApply)]
    [InlineData(Outcome.Unchanged)]
    public void Dry_run_outcomes_cannot_be_settled(Outcome outcome) =>
        Assert.Throws<ArgumentException>(() => Decide(Result(outcome), attempt: 1));

    [Fact]
    public void Attempts_start_at_one() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => Decide(Result(Outcome.Applied), attempt: 0));

    [Theory]
    [InlineData(1, 10)]
    [InlineData(8, 10)]
    [InlineData(1, 3)]
    public void A_copy_that_cannot_be_scheduled_waits_for_the_lock_to_expire_while_deliveries_are_left(int deliveryCount, int maxDeliveryCount)
    {
        Assert.Equal("ServiceBusException: busy", Assert.IsType<SettlementDecision.LetLockExpire>(WhenCopyFails(deliveryCount, maxDeliveryCount)).Failure);
    }

    [Theory]
    [InlineData(9, 10)]
    [InlineData(10, 10)]
    [InlineData(2, 3)]
    [InlineData(1, 1)]
    public void On_the_last_delivery_it_is_dead_lettered_with_the_transient_cause_kept(int deliveryCount, int maxDeliveryCount)
    {
        var deadLetter = Assert.IsType<SettlementDecision.DeadLetter>(WhenCopyFails(deliveryCount, maxDeliveryCount));
        Assert.Equal(Reasons.ClerkUnavailable, deadLetter.Reason);
        Assert.Equal(
            $"The retry copy for attempt 3 could not be scheduled on delivery {deliveryCount} (ServiceBus:MaxDeliveryCount {maxDeliveryCount}): ServiceBusException: busy; last failure ClerkUnavailable: Clerk answered 503",
            deadLetter.Description);
        Assert.Equal(2, deadLetter.Properties[MessageProperties.Attempt]);
        Assert.Equal(Reasons.ClerkUnavailable, deadLetter.Properties[MessageProperties.LastReason]);
        Assert.Equal("2026-11-28T12:00:00.0000000Z", deadLetter.Properties[MessageProperties.FailedAt]);
    }

    /// <summary>Attempt 2 failed (ClerkUnavailable), and its copy for attempt 3 could not be scheduled.</summary>
    private static SettlementDecision WhenCopyFails(int deliveryCount, int maxDeliveryCount) => SettlementPolicy.WhenRetryCopyFails(
        Result(Outcome.Transient, Reasons.ClerkUnavailable, "Clerk answered 503"),
        new SettlementDecision.ScheduleRetry(3, TimeSpan.FromMinutes(2), Now.AddMinutes(2), Reasons.ClerkUnavailable),
        attempt: 2, deliveryCount, maxDeliveryCount, "ServiceBusException: busy", Now);

    private static SettlementDecision Decide(ProcessingResult result, int attempt) =>
        SettlementPolicy.Decide(result, attempt, new RetryOptions(), Now);

    private static ProcessingResult Result(Outcome outcome, string? reason = null, string? detail = null, TimeSpan? retryAfter = null) =>
        new(outcome, null, "evt-1", reason, detail, retryAfter);
}
