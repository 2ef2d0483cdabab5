using Azure.Data.Tables;
using Azure.Identity;
using Azure.Security.KeyVault.Secrets;
using Microsoft.Extensions.Azure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using RoleSync.Clerk;
using RoleSync.Ledger;
using RoleSync.Messaging;
using RoleSync.Processing;
using RoleSync.Reconcile;
using RoleSync.Secrets;
using RoleSync.AzureAdapters;

namespace RoleSync;

/// <summary>
/// RoleSync's core on the hosting model, called by every edge (Functions app, CLI, load harness, benchmarks, tests):
/// <see cref="AddRoleSyncCore{TBuilder}"/> (Clerk client, secret key, processor) and
/// <see cref="AddRoleSyncTableLedger{TBuilder}"/> (the ledger in Table Storage). Options are bound from configuration,
/// validated at start with messages that name the setting; Azure clients come from Microsoft.Extensions.Azure with
/// one credential (<see cref="DefaultAzureCredential"/>: the managed identity named by AZURE_CLIENT_ID in Azure, a
/// developer's sign-in locally) unless a client's section names its own (<c>credential</c>, <c>clientId</c>).
/// </summary>
public static class RoleSyncCoreExtensions
{
    /// <summary>
    /// The processing policy with its Clerk client and secret key. A ledger must be added too:
    /// <see cref="AddRoleSyncTableLedger{TBuilder}"/>, or an <see cref="IMembershipLedger"/> of the edge's own (the CLI's
    /// one-off in-memory run).
    /// </summary>
    /// <param name="builder">The edge's host builder.</param>
    /// <param name="allowLiteralSecretKey">Accept <c>Clerk:SecretKey</c> instead of Key Vault; default: only in Development.</param>
    public static TBuilder AddRoleSyncCore<TBuilder>(this TBuilder builder, bool? allowLiteralSecretKey = null)
        where TBuilder : IHostApplicationBuilder
    {
        builder.AddRoleSyncClerk(allowLiteralSecretKey);
        builder.Services.AddMetrics();
        builder.Services.TryAddSingleton<RoleSyncTelemetry>();
        builder.Services.TryAddSingleton<MembershipConverger>();
        builder.Services.TryAddSingleton<Reconciler>();
        builder.Services.TryAddSingleton<RoleChangeProcessor>();
        builder.Services.TryAddSingleton<MessageSigner>();
        return builder;
    }

    /// <summary>The Clerk client (typed HttpClient with its resilience pipeline and rate limiter) and the secret key provider.</summary>
    /// <param name="builder">The edge's host builder.</param>
    /// <param name="allowLiteralSecretKey">Accept <c>Clerk:SecretKey</c> instead of Key Vault; default: only in Development.</param>
    public static TBuilder AddRoleSyncClerk<TBuilder>(this TBuilder builder, bool? allowLiteralSecretKey = null)
        where TBuilder : IHostApplicationBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        bool development = builder.Environment.IsDevelopment();
        bool allowLiteral = allowLiteralSecretKey ?? development;

        services.AddOptions<ClerkOptions>()
            .BindConfiguration(ClerkOptions.SectionName)
            .ValidateDataAnnotations()
            .Validate(o => ClerkOptions.IsAllowedApiUrl(o.ApiUrl, development), development
                ? "Clerk:ApiUrl must be an absolute http(s) URL, e.g. https://api.clerk.com."
                : "Clerk:ApiUrl must be an absolute https URL, e.g. https://api.clerk.com (the bearer key never travels in clear text; http is accepted only in Development or to a loopback address).")
            .ValidateOnStart();
        services.AddOptions<ClerkBudgetOptions>()
            .BindConfiguration(ClerkOptions.SectionName)
            .ValidateDataAnnotations()
            .Validate<IOptions<ClerkOptions>>(
                (budget, clerk) => budget.RequestsPer10Seconds is not > ClerkRateLimiter.LiveInstanceLimit || clerk.Value.ApiUrl is { IsAbsoluteUri: true, IsLoopback: true },
                $"Clerk:RequestsPer10Seconds must be at most {ClerkRateLimiter.LiveInstanceLimit} (100 % of a production instance's limit, shared with the customer's own app); more is accepted only for a loopback Clerk:ApiUrl (the sandbox).")
            .ValidateOnStart();
        services.AddOptions<ScaleOutOptions>()
            .BindConfiguration(ScaleOutOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddOptions<ClerkSecretOptions>()
            .BindConfiguration(ClerkOptions.SectionName)
            .ValidateDataAnnotations()
            // Which key sources are allowed depends on the edge and the environment, so these two are not annotations.
            .Validate(o => o.KeyVaultUri is not null || (allowLiteral && !string.IsNullOrWhiteSpace(o.SecretKey)), allowLiteral
                ? "Clerk:KeyVaultUri is not set (and no Clerk:SecretKey for local development): RoleSync has no way to get the Clerk secret key."
                : "Clerk:KeyVaultUri is not set: production configuration must read the Clerk secret key from Key Vault (Clerk:SecretKey is for local development only).")
            .Validate(o => o.KeyVaultUri is null || o.KeyVaultUri.Scheme == Uri.UriSchemeHttps,
                "Clerk:KeyVaultUri must be an https URL, e.g. https://my-vault.vault.azure.net/.")
            .ValidateOnStart();

        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<ClerkRateLimiter>();
        if (builder.Configuration.GetSection(ClerkOptions.SectionName)[nameof(ClerkSecretOptions.KeyVaultUri)] is { Length: > 0 } vault
            && Uri.TryCreate(vault, UriKind.Absolute, out var vaultUri))
        {
            services.AddAzureClients(clients =>
            {
                clients.AddSecretClient(vaultUri).ConfigureOptions(options => AzureClientRetry.Bound(options.Retry));
                clients.UseCredential(_ => new DefaultAzureCredential());
            });
        }
        services.TryAddSingleton<IClerkSecretProvider>(provider =>
        {
            var options = provider.GetRequiredService<IOptions<ClerkSecretOptions>>().Value;
            return options.KeyVaultUri is null
                ? new ConfiguredClerkSecretProvider(new ClerkSecret(options.SecretKey!))
                : ActivatorUtilities.CreateInstance<KeyVaultClerkSecretProvider>(provider, provider.GetRequiredService<SecretClient>());
        });

        services.AddHttpClient<ClerkClient>((provider, http) =>
            {
                var options = provider.GetRequiredService<IOptions<ClerkOptions>>().Value;
                var baseUrl = options.ApiUrl.AbsoluteUri;
                http.BaseAddress = new Uri(baseUrl.EndsWith('/') ? baseUrl : baseUrl + "/");
                http.Timeout = Timeout.InfiniteTimeSpan; // the resilience pipeline owns timeouts
                http.DefaultRequestHeaders.Accept.ParseAdd("application/json");
                http.DefaultRequestHeaders.Add("Clerk-API-Version", options.ApiVersion);
                http.DefaultRequestHeaders.UserAgent.ParseAdd($"RoleSync/{RoleSyncInfo.Version}");
            })
            // IHttpClientFactory's default request logging redacts header values in the message text but hands the raw
            // values (the Authorization header, i.e. the key) to structured log state, which exporters may record.
            // RoleSync logs one line per message itself and traces HTTP through spans, so those loggers go.
            .RemoveAllLoggers()
            // The processor is a singleton holding this client, so the factory never rotates its handler: let the
            // handler recycle its connections instead (DNS changes are picked up within 5 minutes).
            .UseSocketsHttpHandler((handler, _) => handler.PooledConnectionLifetime = TimeSpan.FromMinutes(5))
            .SetHandlerLifetime(Timeout.InfiniteTimeSpan)
            .AddResilienceHandler("clerk", (pipeline, context) => ClerkResilience.Configure(
                pipeline,
                context.ServiceProvider.GetRequiredService<IOptions<ClerkOptions>>().Value,
                context.ServiceProvider.GetRequiredService<ClerkRateLimiter>(),
                context.ServiceProvider.GetRequiredService<TimeProvider>()));
        return builder;
    }

    /// <summary>
    /// The ledger in Azure Table Storage (see <see cref="LedgerStorage"/> for where): a <see cref="TableServiceClient"/>
    /// from Microsoft.Extensions.Azure and the table <c>Ledger:TableName</c>. No storage configured: start-up fails
    /// naming the settings.
    /// </summary>
    public static TBuilder AddRoleSyncTableLedger<TBuilder>(this TBuilder builder)
        where TBuilder : IHostApplicationBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);
        var storage = LedgerStorage.Resolve(builder.Configuration);
        builder.Services.AddOptions<LedgerOptions>()
            .BindConfiguration(LedgerOptions.SectionName)
            .ValidateDataAnnotations()
            .Validate(_ => storage is not null, // spans two sections (Ledger, AzureWebJobsStorage): not an annotation
                "No storage for the ledger is configured: set AzureWebJobsStorage (a connection string, or AzureWebJobsStorage__accountName for identity-based access), or Ledger__ConnectionString / Ledger__TableServiceUri.")
            .ValidateOnStart();
        if (storage is not null)
        {
            builder.Services.AddAzureClients(clients =>
            {
                clients.AddTableServiceClient(storage).ConfigureOptions(options => AzureClientRetry.Bound(options.Retry));
                clients.UseCredential(_ => new DefaultAzureCredential());
            });
        }
        builder.Services.TryAddSingleton<IMembershipLedger>(provider => new TableMembershipLedger(
            provider.GetRequiredService<TableServiceClient>().GetTableClient(provider.GetRequiredService<IOptions<LedgerOptions>>().Value.TableName)));
        return builder;
    }
}
