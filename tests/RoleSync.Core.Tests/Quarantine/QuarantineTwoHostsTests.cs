using System.Diagnostics.Metrics;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using RoleSync.Quarantine;

namespace RoleSync.Core.Tests.Quarantine;

/// <summary>Two hosts (two circuits, each with its own <see cref="TableQuarantineStore"/>) on one Azurite table, one fake clock.</summary>
public sealed class QuarantineTwoHostsTests
{
    private readonly FakeTimeProvider _time = new(QuarantineRig.Start);

    /// <summary>Each host has its own meter factory (as each process has), the one of host A is <see cref="_metersOfA"/>.</summary>
    private IMeterFactory? _metersOfA;

    private async Task<(QuarantineCircuit A, QuarantineCircuit B)> TwoHostsAsync()
    {
        var connection = await Azurite.GetConnectionStringAsync();
        var table = Azurite.NewTableName("quar");
        QuarantineCircuit Host(out IMeterFactory meters)
        {
            meters = new ServiceCollection().AddMetrics().BuildServiceProvider().GetRequiredService<IMeterFactory>();
            return new(new TableQuarantineStore(new TableClient(connection, table)), new ClerkCallWindow(_time),
                Options.Create(new QuarantineOptions()), _time, meters, NullLogger<QuarantineCircuit>.Instance);
        }
        return (Host(out _metersOfA), Host(out _));
    }

    [Fact]
    public async Task Two_hosts_opening_at_once_agree_on_one_quarantine_and_only_one_claims_each_probe()
    {
        var (a, b) = await TwoHostsAsync();

        var opened = await Task.WhenAll(
            a.OpenAsync(QuarantineTriggers.ClerkUnauthorized, "from a", RoleSyncHarness.OrgId),
            b.OpenAsync(QuarantineTriggers.SecretNotFound, "from b", null));

        Assert.All(opened, s => Assert.True(s.Active));
        var seenByA = await a.ReadAsync();
        var seenByB = await b.ReadAsync();
        Assert.Equal(seenByA.Trigger, seenByB.Trigger);
        Assert.Equal(seenByA.Since, seenByB.Since);
        Assert.Equal(opened[0].Trigger, opened[1].Trigger); // the loser found the winner's row

        Assert.Null(await a.TryClaimProbeAsync()); // not due yet
        _time.Advance(TimeSpan.FromMinutes(1));
        var claims = await Task.WhenAll(a.TryClaimProbeAsync(), b.TryClaimProbeAsync());
        var claim = Assert.Single(claims, c => c is not null)!;
        Assert.Equal(1, claim.Probes);
        Assert.Equal(_time.GetUtcNow().AddMinutes(2), claim.NextProbeAt);
        Assert.Null(await b.TryClaimProbeAsync()); // claimed: the next one is 2 minutes away

        var closed = await (claims[0] is null ? b : a).CompleteProbeAsync(claim, succeeded: true, "Clerk accepted the key");
        Assert.False(closed.Active);
        _time.Advance(TimeSpan.FromSeconds(5)); // past the other host's cache
        Assert.False((await (claims[0] is null ? a : b).CurrentAsync()).Active);
    }

    [Fact]
    public async Task A_failed_probe_keeps_the_schedule_1_2_5_15_30_then_every_30_minutes()
    {
        var (a, b) = await TwoHostsAsync();
        var since = (await a.OpenAsync(QuarantineTriggers.ClerkUnauthorized, "401", null)).Since!.Value;
        var expected = new[] { 1, 2, 5, 15, 30, 30, 30 };
        var at = since;
        for (int i = 0; i < expected.Length; i++)
        {
            at += TimeSpan.FromMinutes(expected[i]);
            Assert.Equal(at, (await b.ReadAsync()).NextProbeAt);
            _time.Advance(at - _time.GetUtcNow());
            var claim = await (i % 2 == 0 ? a : b).TryClaimProbeAsync();
            Assert.NotNull(claim);
            Assert.True((await (i % 2 == 0 ? b : a).CompleteProbeAsync(claim, succeeded: false, "still 401")).Active);
        }
        Assert.Equal(expected.Length, (await a.ReadAsync()).Probes);
    }

    [Fact]
    public async Task The_gauge_is_1_while_this_host_sees_the_quarantine()
    {
        var (a, _) = await TwoHostsAsync();
        using var gauge = new MetricCollector<int>(_metersOfA, RoleSyncTelemetry.Name, QuarantineCircuit.ActiveMetric, _time);

        await a.ReadAsync();
        gauge.RecordObservableInstruments();
        Assert.Equal(0, gauge.LastMeasurement?.Value);
        await a.OpenAsync(QuarantineTriggers.ClerkUnauthorized, "401", null);
        gauge.RecordObservableInstruments();
        Assert.Equal(1, gauge.LastMeasurement?.Value);
    }
}
