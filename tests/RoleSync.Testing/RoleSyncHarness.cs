using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using RoleSync.Clerk;
using RoleSync.History;
using RoleSync.ClerkSandbox;
using RoleSync.KeyVaultFake;
using RoleSync.Ledger;
using RoleSync.Processing;
using RoleSync.Secrets;
using RoleSync.AzureAdapters;

namespace RoleSync.Testing;

/// <summary>
/// RoleSync's core wired exactly as production wires it (<see cref="RoleSyncCoreExtensions.AddRoleSyncCore{TBuilder}"/>), but
/// pointed at a Clerk sandbox on 127.0.0.1 and, optionally, the Key Vault fake over HTTPS. Every log line at every
/// level is captured in <see cref="Logs"/>.
/// </summary>
public sealed class RoleSyncHarness : IAsyncDisposable
{
    public const string SecretKey = "sk_test_sandbox_fake_key";
    public const string OrgId = "org_2g7np7Hrk0SN6kj5EDMLDaKNL0S";
    public const string AdminId = "user_2h8op3Isl1QR7tKu5FGNfaLKEoU";
    public const string MemberId = "user_3k9pq4Jtm2RS8uLv6GHOgbMLFpV";

    private readonly IHost _host;

    private RoleSyncHarness(ClerkSandbox.ClerkSandbox clerk, KeyVaultFake.KeyVaultFake? vault, IHost host, IMembershipLedger ledger)
    {
        History = host.Services.GetRequiredService<IMembershipHistory>();
        Clerk = clerk;
        Vault = vault;
        _host = host;
        Ledger = ledger;
    }

    public ClerkSandbox.ClerkSandbox Clerk { get; }

    public KeyVaultFake.KeyVaultFake? Vault { get; }

    public IServiceProvider Services => _host.Services;

    public IMembershipLedger Ledger { get; }

    /// <summary>The membership history the processor writes (in memory unless one was passed).</summary>
    public IMembershipHistory History { get; }

    public ClerkClient ClerkClient => Services.GetRequiredService<ClerkClient>();

    public RoleChangeProcessor Processor => Services.GetRequiredService<RoleChangeProcessor>();

    public FakeLogCollector Logs => Services.GetRequiredService<FakeLogCollector>();

    /// <summary>
    /// Starts a sandbox with one organization (<see cref="OrgId"/>: <see cref="AdminId"/> admin, <see cref="MemberId"/>
    /// member, roles org:admin, org:member, org:billing) and builds the services.
    /// </summary>
    /// <param name="useKeyVault">Read the key from the Key Vault fake instead of configuration.</param>
    /// <param name="settings">Extra configuration (keys like "Clerk:MaxRetryAttempts").</param>
    /// <param name="ledger">Defaults to a fresh in-memory ledger.</param>
    /// <summary>
    /// A Clerk sandbox on 127.0.0.1 that accepts <see cref="SecretKey"/>, with one organization (<see cref="OrgId"/>:
    /// <see cref="AdminId"/> admin, <see cref="MemberId"/> member; roles org:admin, org:member, org:billing).
    /// </summary>
    public static async Task<ClerkSandbox.ClerkSandbox> StartSandboxAsync(Action<ClerkSandboxOptions>? configure = null)
    {
        var options = new ClerkSandboxOptions();
        options.SecretKeys.Clear();
        options.SecretKeys.Add(SecretKey);
        configure?.Invoke(options);
        var clerk = await ClerkSandbox.ClerkSandbox.StartAsync(options);
        clerk.AddOrganization(OrgId, "org:admin", "org:member", "org:billing");
        clerk.AddMember(OrgId, AdminId, "org:admin");
        clerk.AddMember(OrgId, MemberId, "org:member");
        return clerk;
    }

    public static async Task<RoleSyncHarness> StartAsync(
        bool useKeyVault = false,
        IDictionary<string, string?>? settings = null,
        IMembershipLedger? ledger = null,
        Action<ClerkSandboxOptions>? sandbox = null,
        TimeProvider? timeProvider = null,
        IMembershipHistory? history = null)
    {
        var clerk = await StartSandboxAsync(sandbox);

        KeyVaultFake.KeyVaultFake? vault = null;
        var config = new Dictionary<string, string?>
        {
            ["Clerk:ApiUrl"] = clerk.BaseUrl.ToString(),
            ["Clerk:RequestsPer10Seconds"] = "100000",
            ["Clerk:RetryBaseDelay"] = "00:00:00.010",
            ["Clerk:AttemptTimeout"] = "00:00:05",
        };
        if (useKeyVault)
        {
            vault = await KeyVaultFake.KeyVaultFake.StartAsync();
            vault.SetSecret("clerk-secret-key", SecretKey);
            config["Clerk:KeyVaultUri"] = vault.VaultUri.ToString();
        }
        else
        {
            config["Clerk:SecretKey"] = SecretKey;
        }
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            config[key] = value;
        }

        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings
        {
            EnvironmentName = useKeyVault ? Environments.Production : Environments.Development,
        });
        builder.Configuration.AddInMemoryCollection(config);
        builder.ConfigureContainer(new DefaultServiceProviderFactory(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true }));
        builder.Logging.SetMinimumLevel(LogLevel.Trace).AddFakeLogging();
        if (timeProvider is not null)
        {
            builder.Services.AddSingleton(timeProvider);
        }
        ledger ??= new InMemoryMembershipLedger();
        builder.Services.AddSingleton(ledger);
        if (history is not null)
        {
            builder.Services.AddSingleton(history);
        }
        builder.AddRoleSyncCore();
        if (vault is not null)
        {
            builder.Services.AddSingleton(vault.CreateClient()); // the fake's certificate and token: replaces the registered SecretClient
        }
        var provider = builder.Build();
        return new RoleSyncHarness(clerk, vault, provider, ledger);
    }

    /// <summary>The Key Vault secret provider (only with useKeyVault).</summary>
    public KeyVaultClerkSecretProvider VaultSecrets => (KeyVaultClerkSecretProvider)Services.GetRequiredService<IClerkSecretProvider>();

    /// <summary>Every captured log line (message and structured state), for "the secret never appears" checks.</summary>
    public string AllLogText() => string.Join("\n", Logs.GetSnapshot().Select(r =>
        $"{r.Level} {r.Category} {r.Message} {string.Join(",", r.StructuredState?.Select(kv => $"{kv.Key}={kv.Value}") ?? [])} {r.Exception}"));

    public async ValueTask DisposeAsync()
    {
        _host.Dispose();
        await Clerk.DisposeAsync();
        if (Vault is not null)
        {
            await Vault.DisposeAsync();
        }
    }
}
