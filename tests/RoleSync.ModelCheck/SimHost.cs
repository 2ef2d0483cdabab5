using System.Globalization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using RoleSync.Clerk;
using RoleSync.Guard;
using RoleSync.Ledger;
using RoleSync.Processing;
using RoleSync.Quarantine;

namespace RoleSync.ModelCheck;

/// <summary>
/// RoleSync's core wired as production wires it (<see cref="RoleSyncCoreExtensions.AddRoleSyncCore{TBuilder}"/> on
/// a host builder without defaults, a literal secret key), with three substitutions: the Clerk client's primary HTTP
/// handler is the simulated Clerk (as bench/RoleSync.Benchmarks does), the ledger is the simulated one, and the
/// TimeProvider is the simulation's FakeTimeProvider. The resilience pipeline (timeouts, retries, rate limiter) is the
/// real one, reading virtual time. A host serves one simulation at a time (<see cref="Attach"/>) and is reused by the
/// next seeds when its run ended clean (<see cref="SimHostPool"/>): building one costs more than a run.
/// </summary>
/// <remarks>
/// Two settings keep the run on one thread and deterministic. The rate limiter gets a budget no run reaches (a limiter
/// instance registered first, as the benchmark does: an exhausted token bucket would queue the request and release it
/// from a real timer thread). <c>Clerk:RetryBaseDelay</c> is zero: Polly's backoff jitter comes from its own unseeded
/// random, and with a zero base every backoff delay is zero (the retry follows at once, inline), so the jitter never
/// reaches the interleaving; the delays that do exist come from Retry-After headers the simulated Clerk sets, which
/// Polly honours exactly. Runs vary <c>Clerk:MaxRetryAttempts</c> (0, 1, 3) so both the in-process retries (a second
/// PATCH after an attempt timed out) and the single-attempt path are explored. <c>Clerk:TotalTimeout</c> (2 min) is
/// longer than the longest in-process sequence (4 attempts of 10 s and 3 Retry-After waits of at most 10 s): a
/// <c>Task.Delay(TimeProvider)</c> that is cancelled resumes on the thread pool, so no token is ever cancelled while a
/// Polly delay is pending (a crash then takes effect at the worker's next request, see Simulation).
/// </remarks>
internal sealed class SimHost : IDisposable
{
    private const int UnreachableBudget = 100_000_000;
    private readonly IHost _host;
    private readonly ClerkRateLimiter _limiter;

    public SimHost(int maxRetryAttempts)
    {
        MaxRetryAttempts = maxRetryAttempts;
        LimiterClock = new OffsetClock(Clock);
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true, EnvironmentName = Environments.Production });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Clerk:ApiUrl"] = "https://clerk.modelcheck.invalid",
            ["Membership:CreateMissing"] = "true", // a set-role after a removal creates the membership again
            ["Clerk:SecretKey"] = ClerkRequest.SecretKey,
            ["Clerk:RetryBaseDelay"] = "00:00:00",
            ["Clerk:MaxRetryAttempts"] = maxRetryAttempts.ToString(CultureInfo.InvariantCulture),
            ["Clerk:AttemptTimeout"] = "00:00:10",
            ["Clerk:TotalTimeout"] = "00:02:00",
            ["Clerk:MaxInProcessRetryAfter"] = "00:00:10",
        });
        builder.ConfigureContainer(new DefaultServiceProviderFactory(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true }));
        builder.Services.AddSingleton<TimeProvider>(Clock);
        // The limiter runs on the simulated clock (a 429 pauses every request for its Retry-After in simulated time),
        // seen through LimiterClock so that its state from the previous seed on this host lies a day in the past.
        _limiter = new ClerkRateLimiter(Options.Create(new ClerkBudgetOptions { RequestsPer10Seconds = UnreachableBudget }),
            Options.Create(new ScaleOutOptions()), LimiterClock);
        builder.Services.AddSingleton(_limiter);
        builder.Services.AddSingleton<IMembershipLedger>(Ledger);
        // The quarantine as production wires it (AddRoleSyncQuarantine) on this host's store, emptied per seed (the
        // circuit's cache, read "in the future" of a restarted clock, is then stale); the failure count runs on
        // LimiterClock, so the previous seed's calls lie a day in the past.
        builder.Services.AddSingleton(new ClerkCallWindow(LimiterClock));
        builder.Services.AddSingleton<IQuarantineStore>(QuarantineStore);
        builder.AddRoleSyncCore(allowLiteralSecretKey: true);
        builder.AddRoleSyncQuarantine();
        // The bulk-change guard as production wires it (AddRoleSyncGuard, run inside the quarantine check around the
        // processor as RoleChangeMessageHandler does) on this host's store: a run has one host, so this store is the
        // deployment-wide count; it is emptied and the guard's options are set per seed at Attach.
        builder.Services.AddSingleton<IGuardStore>(GuardStore);
        builder.AddRoleSyncGuard();
        builder.Services.AddHttpClient(nameof(ClerkClient)).ConfigurePrimaryHttpMessageHandler(() => Clerk);
        _host = builder.Build();
        Processor = _host.Services.GetRequiredService<RoleChangeProcessor>();
        Quarantine = _host.Services.GetRequiredService<QuarantineGuard>();
        Guard = _host.Services.GetRequiredService<BulkChangeGuard>();
        Holds = _host.Services.GetRequiredService<GuardHolds>();
    }

    /// <summary>The bulk-change guard the queue handler runs the processor through (inside the quarantine check).</summary>
    public BulkChangeGuard Guard { get; }

    /// <summary>The operator's side of the guard (approve an organization's holds).</summary>
    public GuardHolds Holds { get; }

    /// <summary>The deployment's guard rows (one host: in memory), emptied at each <see cref="Attach"/>.</summary>
    public SimGuardStore GuardStore { get; } = new();

    /// <summary>The quarantine check the queue handler puts in front of the processor.</summary>
    public QuarantineGuard Quarantine { get; }

    /// <summary>The deployment's quarantine row (one host: in memory), emptied at each <see cref="Attach"/>.</summary>
    public SimQuarantineStore QuarantineStore { get; } = new();

    public int MaxRetryAttempts { get; }

    public SimClock Clock { get; } = new(Simulation.Start);

    /// <summary>The simulated clock as the rate limiter sees it: moved a day on at each <see cref="Attach"/>.</summary>
    private OffsetClock LimiterClock { get; }

    public SimClerkHandler Clerk { get; } = new();

    public SimLedger Ledger { get; } = new();

    public IServiceProvider Services => _host.Services;

    /// <summary>Points the host's Clerk, ledger and clock at <paramref name="simulation"/>; the ledger is emptied and the clock set to <see cref="Simulation.Start"/>.</summary>
    public void Attach(Simulation simulation)
    {
        LimiterClock.MoveOn(Clock.GetUtcNow() - Simulation.Start + TimeSpan.FromDays(1));
        Clock.Restart(Simulation.Start);
        QuarantineStore.Reset();
        GuardStore.Reset();
        // The host's one GuardOptions instance (bound by AddRoleSyncGuard) takes this seed's settings; the guard reads
        // it at every delivery.
        var guard = Guard.Options;
        (guard.Enabled, guard.MaxPerWindow, guard.Window, guard.RecheckInterval, guard.ProtectedRoles) =
            (simulation.Guard.Enabled, simulation.Guard.MaxPerWindow, simulation.Guard.Window, simulation.Guard.RecheckInterval, simulation.Guard.ProtectedRoles);
        Clock.CheckThread = simulation.CheckThread;
        Clerk.Simulation = simulation;
        Ledger.Simulation = simulation;
    }

    public RoleChangeProcessor Processor { get; }

    public void Dispose()
    {
        _host.Dispose();
        _limiter.Dispose();
    }
}
