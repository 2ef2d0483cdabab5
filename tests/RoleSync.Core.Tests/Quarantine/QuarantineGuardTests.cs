using RoleSync.Quarantine;

namespace RoleSync.Core.Tests.Quarantine;

/// <summary>
/// Open, probe and close for each trigger, through the real processor, Clerk client (sandbox) and Key Vault provider
/// (fake) on a fake clock: while open nothing reaches Clerk and every message is held as <see cref="Reasons.Quarantined"/>.
/// </summary>
public sealed class QuarantineGuardTests
{
    private const string NewKey = "sk_test_rotated_key";

    [Fact]
    public async Task Clerk_401_after_a_fresh_key_read_opens_probes_on_schedule_and_closes_when_the_key_is_fixed()
    {
        await using var rig = await QuarantineRig.StartAsync();
        Assert.Equal(Outcome.Applied, (await rig.SendAsync("org:billing")).Outcome);
        rig.Harness.Clerk.SetSecretKeys(NewKey); // the key in Key Vault was revoked in Clerk

        var first = await rig.SendAsync("org:admin");

        Assert.Equal(Reasons.Quarantined, first.Reason);
        Assert.Contains(Reasons.ClerkUnauthorized, first.Detail);
        var state = await rig.Circuit.ReadAsync();
        Assert.True(state.Active);
        Assert.Equal(QuarantineTriggers.ClerkUnauthorized, state.Trigger);
        Assert.Equal(QuarantineRig.Start, state.Since);
        Assert.Equal(QuarantineRig.Start.AddMinutes(1), state.NextProbeAt);
        Assert.Equal(TimeSpan.FromMinutes(1) + QuarantineGuard.HoldMargin, first.RetryAfter);
        Assert.DoesNotContain(NewKey, state.Detail);
        Assert.DoesNotContain(RoleSyncHarness.SecretKey, state.Detail);

        // Held: no Clerk call while open and the probe is not due.
        var requests = rig.Harness.Clerk.RequestCount;
        var held = await rig.SendAsync("org:admin");
        Assert.Equal(Reasons.Quarantined, held.Reason);
        Assert.Equal(requests, rig.Harness.Clerk.RequestCount);

        // Probe 1 at +1 min: the key is still the revoked one, so it fails and probe 2 is due 2 minutes later.
        rig.Time.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(Reasons.Quarantined, (await rig.SendAsync("org:admin")).Reason);
        state = await rig.Circuit.ReadAsync();
        Assert.True(state.Active);
        Assert.Equal(1, state.Probes);
        Assert.Equal(rig.Time.GetUtcNow().AddMinutes(2), state.NextProbeAt);
        Assert.Contains("still rejects", state.LastProbeResult);

        // The operator puts the new key in Key Vault; probe 2 reads it fresh, Clerk accepts it, the circuit closes and the message goes through.
        rig.Harness.Vault!.SetSecret("clerk-secret-key", NewKey);
        rig.Time.Advance(TimeSpan.FromMinutes(2));
        var resumed = await rig.SendAsync("org:admin");

        Assert.Equal(Outcome.Applied, resumed.Outcome);
        Assert.Equal("org:admin", rig.Harness.Clerk.GetRole(RoleSyncHarness.OrgId, RoleSyncHarness.MemberId));
        state = await rig.Circuit.ReadAsync();
        Assert.False(state.Active);
        Assert.Equal(2, state.Probes);
        Assert.Equal(rig.Time.GetUtcNow(), state.ClosedAt);
    }

    [Theory]
    [InlineData(403, QuarantineTriggers.KeyVaultForbidden)]
    [InlineData(404, QuarantineTriggers.SecretNotFound)]
    public async Task Key_Vault_denying_or_missing_the_secret_opens_and_a_probe_closes_once_it_is_readable(int status, string trigger)
    {
        await using var rig = await QuarantineRig.StartAsync();
        if (status == 404)
        {
            rig.Harness.Vault!.RemoveSecret("clerk-secret-key");
        }
        else
        {
            rig.Harness.Vault!.FailWith = status;
        }

        var first = await rig.SendAsync();

        Assert.Equal(Reasons.Quarantined, first.Reason);
        var state = await rig.Circuit.ReadAsync();
        Assert.True(state.Active);
        Assert.Equal(trigger, state.Trigger);
        Assert.Equal(0, rig.Harness.Clerk.RequestCount);

        rig.Time.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(Reasons.Quarantined, (await rig.SendAsync()).Reason);
        Assert.Equal(1, (await rig.Circuit.ReadAsync()).Probes);
        Assert.Contains("Key Vault", (await rig.Circuit.ReadAsync()).LastProbeResult);

        rig.Harness.Vault.FailWith = null;
        rig.Harness.Vault.SetSecret("clerk-secret-key", RoleSyncHarness.SecretKey);
        rig.Time.Advance(TimeSpan.FromMinutes(2));

        Assert.Equal(Outcome.Applied, (await rig.SendAsync()).Outcome);
        Assert.False((await rig.Circuit.ReadAsync()).Active);
    }

    [Fact]
    public async Task Most_Clerk_calls_of_a_minute_failing_transiently_opens_only_at_min_calls_and_a_healthy_probe_closes()
    {
        await using var rig = await QuarantineRig.StartAsync(options: new QuarantineOptions { MinCalls = 4, FailureRatio = 0.5 });
        rig.Harness.Clerk.FailNext(4, 503);

        for (int i = 0; i < 3; i++)
        {
            var failed = await rig.SendAsync();
            Assert.Equal(Reasons.ClerkUnavailable, failed.Reason); // below Quarantine:MinCalls: the normal retry
        }
        Assert.False((await rig.Circuit.ReadAsync()).Active);
        var fourth = await rig.SendAsync();

        Assert.Equal(Reasons.Quarantined, fourth.Reason);
        var state = await rig.Circuit.ReadAsync();
        Assert.Equal(QuarantineTriggers.ClerkFailureRatio, state.Trigger);
        Assert.Contains("4 of this host's 4 Clerk calls", state.Detail);

        rig.Time.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(Outcome.Applied, (await rig.SendAsync()).Outcome);
        Assert.False((await rig.Circuit.ReadAsync()).Active);
        Assert.Equal((1, 0), rig.Window.LastMinute()); // the failures before were forgotten on close: only the message's PATCH
    }

    [Fact]
    public async Task Failures_at_the_ratio_or_older_than_a_minute_do_not_open()
    {
        await using var rig = await QuarantineRig.StartAsync(options: new QuarantineOptions { MinCalls = 4, FailureRatio = 0.5 });
        rig.Harness.Clerk.FailNext(2, 503);
        for (int i = 0; i < 4; i++)
        {
            await rig.SendAsync(i % 2 == 0 ? "org:billing" : "org:member"); // 2 of 4 failed: exactly the ratio, not more
        }
        Assert.False((await rig.Circuit.ReadAsync()).Active);

        rig.Time.Advance(TimeSpan.FromMinutes(2));
        rig.Harness.Clerk.FailNext(5, 503);
        for (int i = 0; i < 5; i++)
        {
            await rig.SendAsync();
            rig.Time.Advance(TimeSpan.FromSeconds(40)); // each failure leaves the window before the next ones add up
        }
        Assert.False((await rig.Circuit.ReadAsync()).Active);
    }

    [Fact]
    public async Task Quarantine_off_lets_every_failure_take_the_normal_retry()
    {
        await using var rig = await QuarantineRig.StartAsync(options: new QuarantineOptions { Enabled = false });
        rig.Harness.Clerk.SetSecretKeys(NewKey);

        Assert.Equal(Reasons.ClerkUnauthorized, (await rig.SendAsync()).Reason);
        Assert.False((await rig.Circuit.CurrentAsync()).Active);
    }

    [Fact]
    public async Task A_message_held_at_its_last_attempt_is_rescheduled_at_that_attempt_not_dead_lettered()
    {
        await using var rig = await QuarantineRig.StartAsync();
        rig.Harness.Clerk.SetSecretKeys(NewKey);
        var options = new RetryOptions();
        var now = rig.Time.GetUtcNow();

        // The failure that opened it, on the message's last attempt: not RetriesExhausted.
        var opening = SettlementPolicy.Decide(await rig.SendAsync(), options.MaxAttempts, options, now, throttled: 3);
        var retry = Assert.IsType<SettlementDecision.ScheduleRetry>(opening);
        Assert.Equal(options.MaxAttempts, retry.NextAttempt);
        Assert.Equal(4, retry.Throttled);
        Assert.Equal(Reasons.Quarantined, retry.LastReason);
        Assert.Equal(now.AddMinutes(1) + QuarantineGuard.HoldMargin, retry.EnqueueAt);

        // Held ever after, past Retry:MaxThrottledReschedules too.
        for (int i = 0; i < 5; i++)
        {
            rig.Time.Advance(TimeSpan.FromMinutes(30));
            var held = SettlementPolicy.Decide(await rig.SendAsync(), options.MaxAttempts, options, rig.Time.GetUtcNow(), throttled: options.MaxThrottledReschedules + i);
            Assert.Equal(options.MaxAttempts, Assert.IsType<SettlementDecision.ScheduleRetry>(held).NextAttempt);
        }
    }
}
