using System.Globalization;
using Azure.Security.KeyVault.Secrets;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using RoleSync.Clerk;
using RoleSync.Ledger;
using RoleSync.Processing;

namespace RoleSync.LoadTest;

/// <summary>RoleSync as production wires it: AddRoleSyncClerk (Key Vault secret provider, typed client, resilience, limiter), a ledger, the processor.</summary>
internal sealed class RoleSyncDriver(ServiceProvider services) : IDriver
{
    /// <summary>The largest Clerk:RequestsPer10Seconds that ClerkOptions validation accepts.</summary>
    public const int MaxConfigurableBudget = 100_000;

    private readonly RoleChangeProcessor _processor = services.GetRequiredService<RoleChangeProcessor>();
    private readonly OutcomeCounter _outcomes = new();

    public IReadOnlyDictionary<string, int> Outcomes => _outcomes.Snapshot();

    public static async Task<RoleSyncDriver> CreateAsync(VariantSpec spec, SecretClient secrets, CancellationToken cancellationToken) =>
        new(await ComposeRoleSyncAsync(spec, secrets, cancellationToken).ConfigureAwait(false));

    // ----- RoleSync's composition: the one place the harness builds RoleSync's DI graph (configuration, ledger, -----
    // ----- AddRoleSyncClerk, processor). Replace this method's body when the composition API changes.        -----
    private static async Task<ServiceProvider> ComposeRoleSyncAsync(VariantSpec spec, SecretClient secrets, CancellationToken cancellationToken)
    {
        IMembershipLedger ledger = new InMemoryMembershipLedger();
        if (spec.Kind == VariantKind.RoleSyncAzurite)
        {
            var table = TableMembershipLedger.CreateTableClient(
                spec.AzuriteConnectionString ?? throw new InvalidOperationException("The Azurite variant needs a connection string."),
                spec.TableName ?? throw new InvalidOperationException("The Azurite variant needs a table name."));
            await table.CreateIfNotExistsAsync(cancellationToken).ConfigureAwait(false);
            ledger = new TableMembershipLedger(table);
        }

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
            // Above what ClerkOptions accepts: the same limiter class with a larger budget, registered first so
            // AddRoleSyncClerk keeps it. Everything else is wired as production wires it.
            limiter = new ClerkRateLimiter(Options.Create(new ClerkOptions { RequestsPer10Seconds = largeBudget }));
        }
        if (spec.SecretCacheDuration is { } cache)
        {
            settings["Clerk:SecretCacheDuration"] = cache.ToString("c", CultureInfo.InvariantCulture);
        }
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton(secrets);
        if (limiter is not null)
        {
            services.AddSingleton(limiter);
        }
        services.AddRoleSyncClerk(configuration, allowConfiguredSecret: false);
        services.AddSingleton(ledger);
        services.AddSingleton<RoleChangeProcessor>();
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
    }
    // ----- end of RoleSync's composition -----

    public async Task<bool> SendAsync(WorkItem item, CancellationToken cancellationToken)
    {
        var result = await _processor.ProcessAsync(item.Body, cancellationToken).ConfigureAwait(false);
        _outcomes.Add(result.Reason is null ? result.Outcome.ToString() : $"{result.Outcome}:{result.Reason}");
        return result.Outcome == Outcome.Applied;
    }

    public ValueTask DisposeAsync() => services.DisposeAsync();
}
