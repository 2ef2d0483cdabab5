using System.Globalization;
using System.Reflection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using RoleSync.Ledger;
using RoleSync.Secrets;

namespace RoleSync.Cli;

/// <summary>
/// The core as a command builds it: its configuration from the <see cref="ConnectionArguments"/> and the environment
/// (<see cref="Configure"/>), then a host with every configuration error found before any work (<see cref="StartAsync"/>).
/// </summary>
internal static class CliHost
{
    public const string SecretKeyVariable = "CLERK_SECRET_KEY";

    /// <summary>
    /// The core's "Clerk" and "Ledger" configuration from the arguments and the environment, over the command's own
    /// <paramref name="commandSettings"/>, under the context's <see cref="CliContext.Settings"/>. Never prints the secret.
    /// </summary>
    public static Dictionary<string, string?> Configure(CliContext context, ConnectionArguments args, IReadOnlyDictionary<string, string?>? commandSettings = null)
    {
        var settings = new Dictionary<string, string?>(commandSettings ?? new Dictionary<string, string?>());
        if (args.ClerkApiUrl is { } url)
        {
            if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
            {
                throw new CliException($"--clerk-api-url must be an absolute http(s) URL such as https://api.clerk.com, not '{url}'.");
            }
            settings["Clerk:ApiUrl"] = uri.AbsoluteUri;
        }
        if (args.Budget is { } budget)
        {
            // This process is the only host of its budget: no split.
            settings["Clerk:RequestsPer10Seconds"] = budget.ToString(CultureInfo.InvariantCulture);
            settings["RoleSync:MaxInstances"] = "1";
        }
        if (args.KeyVaultUri is { } vault)
        {
            if (!Uri.TryCreate(vault, UriKind.Absolute, out var uri) || uri.Scheme != Uri.UriSchemeHttps)
            {
                throw new CliException($"--key-vault-uri must be an https URL such as https://my-vault.vault.azure.net/, not '{vault}'.");
            }
            settings["Clerk:KeyVaultUri"] = uri.AbsoluteUri;
            if (args.SecretName is { } name)
            {
                settings["Clerk:SecretName"] = name;
            }
        }
        else
        {
            var key = context.GetEnvironmentVariable(SecretKeyVariable);
            if (string.IsNullOrWhiteSpace(key))
            {
                throw new CliException(
                    $"no Clerk secret key: set the {SecretKeyVariable} environment variable (sk_test_… or sk_live_…, from the Clerk Dashboard's API keys page), " +
                    "or pass --key-vault-uri (and --secret-name) to read it from Azure Key Vault.");
            }
            if (!new ClerkSecret(key).LooksLikeClerkKey)
            {
                throw new CliException($"{SecretKeyVariable} does not look like a Clerk secret key (expected sk_test_… or sk_live_…).");
            }
            settings["Clerk:SecretKey"] = key;
        }
        if (args.Ledger is { } ledger)
        {
            // A table service URI is reached with DefaultAzureCredential; anything else is a connection string.
            var isServiceUri = Uri.TryCreate(ledger, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp);
            settings[isServiceUri ? "Ledger:TableServiceUri" : "Ledger:ConnectionString"] = ledger;
        }
        foreach (var (name, value) in context.Settings)
        {
            settings[name] = value;
        }
        return settings;
    }

    /// <summary>
    /// The host with the core (<see cref="RoleSyncCoreExtensions"/>) configured only by <paramref name="settings"/>,
    /// once its configuration is known to work (see <see cref="CheckConfigurationAsync"/>); the table ledger when
    /// <paramref name="durableLedger"/>, else an in-memory one for this run.
    /// </summary>
    public static async Task<IHost> StartAsync(CliContext context, Dictionary<string, string?> settings, bool durableLedger, CancellationToken ct)
    {
        var host = Build(context, settings, durableLedger);
        try
        {
            await CheckConfigurationAsync(host.Services, durableLedger, ct).ConfigureAwait(false);
            return host;
        }
        catch
        {
            host.Dispose();
            throw;
        }
    }

    /// <summary>
    /// The core as every edge builds it. <c>DisableDefaults</c>: the default host would log to the console (stdout
    /// carries the JSON lines) and read appsettings files from the working directory.
    /// </summary>
    private static IHost Build(CliContext context, Dictionary<string, string?> settings, bool durableLedger)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true, EnvironmentName = Environments.Production });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Services.AddSingleton(context.TimeProvider);
        builder.AddRoleSyncCore(allowLiteralSecretKey: true); // CLERK_SECRET_KEY: the CLI runs as a person, not a deployment
        if (durableLedger)
        {
            builder.AddRoleSyncTableLedger();
        }
        else
        {
            builder.Services.AddSingleton<IMembershipLedger>(new InMemoryMembershipLedger());
        }
        if (context.SecretClient is { } secretClient)
        {
            builder.Services.AddSingleton(secretClient);
        }
        return builder.Build();
    }

    /// <summary>
    /// Configuration errors end the run before any work: invalid options, an unreadable Key Vault secret, a ledger
    /// that cannot be reached. (Otherwise every message or membership would fail the same way, slowly.)
    /// </summary>
    private static async Task CheckConfigurationAsync(IServiceProvider services, bool durableLedger, CancellationToken ct)
    {
        try
        {
            services.GetRequiredService<IStartupValidator>().Validate();
        }
        catch (Exception ex) when (ex is OptionsValidationException or AggregateException)
        {
            var failures = ex is AggregateException all ? all.InnerExceptions.OfType<OptionsValidationException>().SelectMany(e => e.Failures) : ((OptionsValidationException)ex).Failures;
            throw new CliException("invalid configuration: " + string.Join(" ", failures));
        }
        var options = services.GetRequiredService<IOptions<ClerkSecretOptions>>().Value;
        if (durableLedger)
        {
            await CheckLedgerAsync(services, ct).ConfigureAwait(false);
        }
        if (options.KeyVaultUri is not null)
        {
            try
            {
                await services.GetRequiredService<IClerkSecretProvider>().GetAsync(ct).ConfigureAwait(false);
            }
            catch (ClerkSecretUnavailableException ex)
            {
                throw new CliException(ex.Message);
            }
        }
    }

    /// <summary>Creates the ledger table if needed and reads one (absent) record. The connection string is never printed: it holds the account key.</summary>
    private static async Task CheckLedgerAsync(IServiceProvider services, CancellationToken ct)
    {
        IMembershipLedger ledger;
        try
        {
            ledger = services.GetRequiredService<IMembershipLedger>();
        }
        catch (Exception ex) when (ex is FormatException or ArgumentException or InvalidOperationException or TargetInvocationException)
        {
            // Microsoft.Extensions.Azure invokes the client's constructor by reflection, so its error arrives wrapped.
            throw new CliException($"--ledger is not a valid Azure Table Storage connection string or table service URI ({ex.GetType().Name}).");
        }
        try
        {
            await ledger.GetAsync("org_rolesyncpreflight", "user_rolesyncpreflight", ct).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            var message = ex.Message.Split('\n', 2)[0];
            throw new CliException($"cannot use the ledger given by --ledger: {ex.GetType().Name}: {ClerkSecret.Redact(message)}");
        }
    }
}
