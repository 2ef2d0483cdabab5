using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging.Abstractions;
using RoleSync.Quarantine;
using static RoleSync.Testing.Messages;

namespace RoleSync.Core.Tests.Quarantine;

/// <summary>
/// One host's quarantine over a <see cref="RoleSyncHarness"/> (the real processor, Clerk client and Key Vault provider
/// against the Clerk sandbox and the Key Vault fake) on a <see cref="FakeTimeProvider"/>, with a store of the test's choice.
/// </summary>
internal sealed class QuarantineRig : IAsyncDisposable
{
    public static readonly DateTimeOffset Start = BaseTime.AddMinutes(1);

    private int _events;

    private QuarantineRig(RoleSyncHarness harness, FakeTimeProvider time, IQuarantineStore store, QuarantineOptions options)
    {
        (Harness, Time, Store) = (harness, time, store);
        Window = harness.Services.GetRequiredService<ClerkCallWindow>();
        Circuit = new QuarantineCircuit(store, Window, Options.Create(options), time, harness.Services.GetRequiredService<IMeterFactory>(), NullLogger<QuarantineCircuit>.Instance);
        Probe = new QuarantineProbe(harness.ClerkClient, harness.Services.GetRequiredService<IClerkSecretProvider>());
        Guard = new QuarantineGuard(Circuit, Probe, Window, time);
    }

    public RoleSyncHarness Harness { get; }
    public FakeTimeProvider Time { get; }
    public IQuarantineStore Store { get; }
    public ClerkCallWindow Window { get; }
    public QuarantineCircuit Circuit { get; }
    public QuarantineProbe Probe { get; }
    public QuarantineGuard Guard { get; }

    /// <summary>A rig reading the key from the Key Vault fake (no in-process Clerk retries: the fake clock would hold their backoff).</summary>
    public static async Task<QuarantineRig> StartAsync(IQuarantineStore? store = null, QuarantineOptions? options = null, FakeTimeProvider? time = null)
    {
        time ??= new FakeTimeProvider(Start);
        var harness = await RoleSyncHarness.StartAsync(useKeyVault: true, timeProvider: time,
            settings: new Dictionary<string, string?> { ["Clerk:MaxRetryAttempts"] = "0" });
        return new QuarantineRig(harness, time, store ?? new InMemoryQuarantineStore(), options ?? new QuarantineOptions());
    }

    /// <summary>One queue message through the guard and the processor: the member gets a new role.</summary>
    public Task<ProcessingResult> SendAsync(string role = "org:billing")
    {
        var body = Bytes(Plain($"evt-q{++_events}", Time.GetUtcNow().AddSeconds(-1), userId: RoleSyncHarness.MemberId, role: role));
        return Guard.ProcessAsync(body, token => Harness.Processor.ProcessAsync(body, token));
    }

    public async ValueTask DisposeAsync() => await Harness.DisposeAsync();
}
