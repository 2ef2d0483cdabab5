using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using RoleSync.Ledger;
using RoleSync.Processing;

namespace RoleSync.LoadTest;

/// <summary>RoleSync as production wires it: AddRoleSyncCore (Key Vault secret provider, typed client, resilience, limiter, processor) and a ledger.</summary>
internal sealed class RoleSyncDriver(IHost host) : IDriver
{
    /// <summary>The largest Clerk:RequestsPer10Seconds that ClerkOptions validation accepts.</summary>
    public const int MaxConfigurableBudget = 100_000;

    private readonly RoleChangeProcessor _processor = host.Services.GetRequiredService<RoleChangeProcessor>();
    private readonly OutcomeCounter _outcomes = new();

    /// <summary>The ledger's operation counts (the in-memory variant only; null with the Table ledger).</summary>
    public CountingLedger? Ledger { get; } = host.Services.GetRequiredService<IMembershipLedger>() as CountingLedger;

    public IReadOnlyDictionary<string, int> Outcomes => _outcomes.Snapshot();

    public static async Task<RoleSyncDriver> CreateAsync(VariantSpec spec, SecretClient secrets, CancellationToken cancellationToken) =>
        new(await ComposeRoleSyncAsync(spec, secrets, cancellationToken).ConfigureAwait(false));

    // ----- RoleSync's composition: the one place the harness builds RoleSync's graph, the way every edge does -----
    // ----- (AddRoleSyncCore / AddRoleSyncTableLedger on a host builder).                                         -----
    private static Task<IHost> ComposeRoleSyncAsync(VariantSpec spec, SecretClient secrets, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var settings = new Dictionary<string, string?>
        {
            ["Clerk:ApiUrl"] = spec.ClerkUrl.ToString(),
            ["Clerk:KeyVaultUri"] = spec.VaultUri.ToString(),
            ["Clerk:SecretName"] = spec.SecretName,
        };
        ClerkRateLimiter? limiter = null;
        if (spec.RequestsPer10Seconds is { } budget and <= MaxConfigurableBudget)
        {
            settings["Clerk:RequestsPer10Seconds"] = budget.ToString(CultureInfo.InvariantCulture);
        }
        else if (spec.RequestsPer10Seconds is { } largeBudget)
        {
            // Above what ClerkBudgetOptions accepts: the same limiter class with a larger budget, registered first so
            // AddRoleSyncCore keeps it. Everything else is wired as production wires it.
            limiter = new ClerkRateLimiter(Options.Create(new ClerkBudgetOptions { RequestsPer10Seconds = largeBudget }));
        }
        if (spec.SecretCacheDuration is { } cache)
        {
            settings["Clerk:SecretCacheDuration"] = cache.ToString("c", CultureInfo.InvariantCulture);
        }
        if (spec.Slice is { } slice)
        {
            settings["RoleSync:MaxInstances"] = slice.MaxInstances.ToString(CultureInfo.InvariantCulture);
        }
        bool tableLedger = spec.Kind == VariantKind.RoleSyncAzurite;
        if (tableLedger)
        {
            settings["Ledger:ConnectionString"] = spec.AzuriteConnectionString ?? throw new InvalidOperationException("The Azurite variant needs a connection string.");
            settings["Ledger:TableName"] = spec.TableName ?? throw new InvalidOperationException("The Azurite variant needs a table name.");
        }
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true, EnvironmentName = Environments.Production });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.ConfigureContainer(new DefaultServiceProviderFactory(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true }));
        if (limiter is not null)
        {
            builder.Services.AddSingleton(limiter);
        }
        if (tableLedger)
        {
            builder.AddRoleSyncTableLedger();
        }
        else
        {
            builder.Services.AddSingleton<IMembershipLedger>(new CountingLedger(new InMemoryMembershipLedger()));
        }
        builder.AddRoleSyncCore();
        builder.Services.AddSingleton(secrets); // the Key Vault fake's client (its certificate): replaces the registered one
        var host = builder.Build();
        host.Services.GetRequiredService<IStartupValidator>().Validate();
        return Task.FromResult(host);
    }
    // ----- end of RoleSync's composition -----

    public async Task<bool> SendAsync(WorkItem item, CancellationToken cancellationToken) =>
        (await ProcessAsync(item, retry: false, cancellationToken).ConfigureAwait(false)).Outcome == Outcome.Applied;

    /// <summary>One attempt at the message, as the queue trigger makes it (a retry copy says it is one); its outcome is counted.</summary>
    public async Task<ProcessingResult> ProcessAsync(WorkItem item, bool retry, CancellationToken cancellationToken)
    {
        var context = retry ? new ProcessingContext(Redelivered: true) : ProcessingContext.Default;
        var result = await _processor.ProcessAsync(item.Body, context, cancellationToken).ConfigureAwait(false);
        _outcomes.Add(result.Reason is null ? result.Outcome.ToString() : $"{result.Outcome}:{result.Reason}");
        return result;
    }

    public ValueTask DisposeAsync()
    {
        host.Dispose();
        return ValueTask.CompletedTask;
    }
}
