using System.Diagnostics.Metrics;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using RoleSync.Guard;
using RoleSync.History;
using RoleSync.Lifecycle;
using static RoleSync.Testing.Messages;

namespace RoleSync.Core.Tests.Guard;

/// <summary>
/// One host's bulk-change guard on a <see cref="FakeTimeProvider"/>, over an in-memory ledger and history and a store of
/// the test's choice; the "processor" behind it records which events reached it, in order, and answers Applied.
/// </summary>
internal sealed class GuardRig : IDisposable
{
    public static readonly DateTimeOffset Start = BaseTime.AddMinutes(1);

    private readonly ServiceProvider _services = new ServiceCollection().AddMetrics().BuildServiceProvider();

    public GuardRig(IGuardStore? store = null, GuardOptions? options = null, FakeTimeProvider? time = null, InMemoryMembershipLedger? ledger = null)
    {
        Time = time ?? new FakeTimeProvider(Start);
        Store = store ?? new InMemoryGuardStore();
        Ledger = ledger ?? new InMemoryMembershipLedger();
        var meters = _services.GetRequiredService<IMeterFactory>();
        var telemetry = new RoleSyncTelemetry(meters);
        HeldMetric = new MetricCollector<long>(meters, RoleSyncTelemetry.Name, "rolesync.guard.held");
        var recorder = new MembershipHistoryRecorder(History, telemetry, Time, NullLogger<MembershipHistoryRecorder>.Instance);
        Guard = new BulkChangeGuard(Store, Ledger, RoleMapper.None, recorder, telemetry, Options.Create(options ?? new GuardOptions { MaxPerWindow = 3 }), Time,
            NullLogger<BulkChangeGuard>.Instance);
        Holds = new GuardHolds(Store, Time);
    }

    public FakeTimeProvider Time { get; }
    public IGuardStore Store { get; }
    public InMemoryMembershipLedger Ledger { get; }
    public InMemoryMembershipHistory History { get; } = new();
    public BulkChangeGuard Guard { get; }
    public GuardHolds Holds { get; }
    public MetricCollector<long> HeldMetric { get; }

    /// <summary>The event ids that reached the processor, in order.</summary>
    public List<string> Processed { get; } = [];

    public string Org { get; } = "org_guard" + Guid.NewGuid().ToString("N")[..8];

    /// <summary>A removal of <paramref name="user"/> from <see cref="Org"/> (or <paramref name="org"/>).</summary>
    public Task<ProcessingResult> RemoveAsync(string eventId, string user, string? org = null) =>
        SendAsync(Message(eventId, Time.GetUtcNow().AddSeconds(-1), org ?? Org, userId: user, role: null, action: "remove"));

    /// <summary>A set-role of <paramref name="user"/> in <see cref="Org"/> (or <paramref name="org"/>).</summary>
    public Task<ProcessingResult> SetRoleAsync(string eventId, string user, string role, string? org = null) =>
        SendAsync(Message(eventId, Time.GetUtcNow().AddSeconds(-1), org ?? Org, userId: user, role: role));

    public Task<ProcessingResult> SendAsync(string json)
    {
        var body = Bytes(json);
        return Guard.ProcessAsync(body, ProcessingContext.Default, _ =>
        {
            var change = RoleMapper.None.Parse(body.Span, Time.GetUtcNow()).Change!;
            lock (Processed)
            {
                Processed.Add(change.EventId);
            }
            return Task.FromResult(ProcessingResult.Of(Outcome.Applied, change));
        });
    }

    /// <summary>Records in the ledger that <paramref name="user"/> of <see cref="Org"/> holds <paramref name="role"/> (applied).</summary>
    public async Task SeedAsync(string user, string role, string? org = null)
    {
        var change = new RoleChange("seed-" + user, BaseTime, org ?? Org, user, role, null, null);
        var record = MembershipRecord.NewestFrom(change, BaseTime) with { AppliedEventId = change.EventId, AppliedRole = role, AppliedAt = BaseTime };
        Assert.NotNull(await Ledger.TryWriteAsync(record));
    }

    public void Dispose()
    {
        HeldMetric.Dispose();
        _services.Dispose();
    }
}
