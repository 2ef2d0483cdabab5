using System.Net;
using Azure.Identity;
using Azure.Security.KeyVault.Secrets;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Polly;
using Polly.RateLimiting;
using Azure.Core;
using RoleSync.Clerk;
using RoleSync.Ledger;
using RoleSync.Processing;
using RoleSync.Secrets;

namespace RoleSync;

/// <summary>Registers RoleSync's core: options, the Clerk client with its resilience pipeline, and the secret provider.</summary>
public static class RoleSyncServiceCollectionExtensions
{
    /// <summary>
    /// Adds the Clerk client and the secret provider, bound to the "Clerk" configuration section and validated at start.
    /// A literal <c>Clerk:SecretKey</c> is accepted only when <paramref name="allowConfiguredSecret"/> (local development);
    /// otherwise <c>Clerk:KeyVaultUri</c> is required.
    /// </summary>
    public static IServiceCollection AddRoleSyncClerk(this IServiceCollection services, IConfiguration configuration, bool allowConfiguredSecret)
    {
        services.AddOptions<ClerkOptions>()
            .Bind(configuration.GetSection(ClerkOptions.SectionName))
            .ValidateDataAnnotations()
            .Validate(o => o.ApiUrl.IsAbsoluteUri && (o.ApiUrl.Scheme == Uri.UriSchemeHttps || o.ApiUrl.Scheme == Uri.UriSchemeHttp),
                "Clerk:ApiUrl must be an absolute http(s) URL, e.g. https://api.clerk.com.")
            .Validate(o => o.KeyVaultUri is not null || (allowConfiguredSecret && !string.IsNullOrWhiteSpace(o.SecretKey)),
                allowConfiguredSecret
                    ? "Clerk:KeyVaultUri is not set (and no Clerk:SecretKey for local development): RoleSync has no way to get the Clerk secret key."
                    : "Clerk:KeyVaultUri is not set: production configuration must read the Clerk secret key from Key Vault (Clerk:SecretKey is for local development only).")
            .Validate(o => o.KeyVaultUri is null || o.KeyVaultUri.Scheme == Uri.UriSchemeHttps,
                "Clerk:KeyVaultUri must be an https URL, e.g. https://my-vault.vault.azure.net/.")
            .ValidateOnStart();

        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<ClerkRateLimiter>();
        services.TryAddSingleton<IClerkSecretProvider>(sp =>
        {
            var options = sp.GetRequiredService<IOptions<ClerkOptions>>().Value;
            if (options.KeyVaultUri is null)
            {
                return new ConfiguredClerkSecretProvider(new ClerkSecret(options.SecretKey!));
            }
            var client = sp.GetService<SecretClient>() ?? new SecretClient(options.KeyVaultUri, new DefaultAzureCredential());
            return ActivatorUtilities.CreateInstance<KeyVaultClerkSecretProvider>(sp, client);
        });

        services.AddHttpClient<ClerkClient>((sp, http) =>
            {
                var options = sp.GetRequiredService<IOptions<ClerkOptions>>().Value;
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
            .AddResilienceHandler("clerk", (builder, context) =>
            {
                var options = context.ServiceProvider.GetRequiredService<IOptions<ClerkOptions>>().Value;
                var limiter = context.ServiceProvider.GetRequiredService<ClerkRateLimiter>();
                ConfigureResilience(builder, options, limiter);
            });
        return services;
    }

    /// <summary>Everything the processing policy needs: the Clerk client, the Table Storage ledger and the processor.</summary>
    public static IServiceCollection AddRoleSyncProcessing(this IServiceCollection services, IConfiguration configuration, bool allowConfiguredSecret)
    {
        services.AddRoleSyncClerk(configuration, allowConfiguredSecret);
        services.AddRoleSyncLedger(configuration);
        services.TryAddSingleton<RoleChangeProcessor>();
        return services;
    }

    /// <summary>
    /// The Table Storage ledger. Where the table lives, first match wins: <c>Ledger:ConnectionString</c>;
    /// <c>Ledger:TableServiceUri</c> (+ identity); the Functions host storage <c>AzureWebJobsStorage</c> as a connection
    /// string; <c>AzureWebJobsStorage:tableServiceUri</c> or <c>AzureWebJobsStorage:accountName</c> (+ identity:
    /// <c>AzureWebJobsStorage:clientId</c> selects a user-assigned managed identity, else DefaultAzureCredential).
    /// </summary>
    public static IServiceCollection AddRoleSyncLedger(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<LedgerOptions>()
            .Bind(configuration.GetSection(LedgerOptions.SectionName))
            .ValidateDataAnnotations()
            .Validate(_ => ResolveLedgerConnection(configuration) is not null,
                "No storage for the ledger is configured: set AzureWebJobsStorage (a connection string, or AzureWebJobsStorage__accountName for identity-based access), or Ledger__ConnectionString / Ledger__TableServiceUri.")
            .ValidateOnStart();
        services.TryAddSingleton<IMembershipLedger>(sp =>
        {
            var options = sp.GetRequiredService<IOptions<LedgerOptions>>().Value;
            var (target, credential) = ResolveLedgerConnection(configuration)!.Value;
            return new TableMembershipLedger(TableMembershipLedger.CreateTableClient(target, options.TableName, credential));
        });
        return services;
    }

    /// <summary>Where the ledger table lives: a connection string (credential null) or a service URI with a credential.</summary>
    public static (string Target, TokenCredential? Credential)? ResolveLedgerConnection(IConfiguration configuration)
    {
        var ledger = configuration.GetSection(LedgerOptions.SectionName);
        var host = configuration.GetSection("AzureWebJobsStorage");
        if (ledger["ConnectionString"] is { Length: > 0 } connectionString)
        {
            return (connectionString, null);
        }
        if (ledger["TableServiceUri"] is { Length: > 0 } ledgerUri)
        {
            return (ledgerUri, IdentityFor(host));
        }
        if (host.Value is { Length: > 0 } hostConnectionString)
        {
            return (hostConnectionString, null);
        }
        if (host["tableServiceUri"] is { Length: > 0 } hostUri)
        {
            return (hostUri, IdentityFor(host));
        }
        if (host["accountName"] is { Length: > 0 } account)
        {
            return ($"https://{account}.table.core.windows.net", IdentityFor(host));
        }
        return null;
    }

    private static TokenCredential IdentityFor(IConfigurationSection host) =>
        host["clientId"] is { Length: > 0 } clientId
            ? new ManagedIdentityCredential(ManagedIdentityId.FromUserAssignedClientId(clientId))
            : new DefaultAzureCredential();

    /// <summary>
    /// Outer to inner: total timeout → retry (jittered exponential, honouring Retry-After up to
    /// <see cref="ClerkOptions.MaxInProcessRetryAfter"/>) → rate limiter (every attempt takes a permit) → attempt timeout.
    /// </summary>
    internal static void ConfigureResilience(ResiliencePipelineBuilder<HttpResponseMessage> builder, ClerkOptions options, ClerkRateLimiter limiter)
    {
        builder
            .AddTimeout(options.TotalTimeout)
            .AddRetry(new HttpRetryStrategyOptions
            {
                MaxRetryAttempts = Math.Max(options.MaxRetryAttempts, 1),
                ShouldHandle = options.MaxRetryAttempts == 0
                    ? static _ => PredicateResult.False()
                    : args => ValueTask.FromResult(ShouldRetry(args.Outcome, options.MaxInProcessRetryAfter)),
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = options.RetryBaseDelay,
                MaxDelay = options.MaxInProcessRetryAfter + options.RetryBaseDelay,
                ShouldRetryAfterHeader = true,
            })
            .AddRateLimiter(new RateLimiterStrategyOptions
            {
                RateLimiter = args => limiter.AcquireAsync(
                    args.Context.GetRequestMessage()?.Options.TryGetValue(ClerkClient.LiveKeyOption, out var live) == true && live,
                    args.Context.CancellationToken),
            })
            .AddTimeout(options.AttemptTimeout);
    }

    private static bool ShouldRetry(Outcome<HttpResponseMessage> outcome, TimeSpan maxRetryAfter)
    {
        if (!HttpClientResiliencePredicates.IsTransient(outcome))
        {
            return false;
        }
        // A 429 asking for a longer pause than we hold a message for ends the call; the edge schedules the retry.
        if (outcome.Result is { StatusCode: HttpStatusCode.TooManyRequests, Headers.RetryAfter: { } retryAfter })
        {
            var delay = retryAfter.Delta ?? (retryAfter.Date - DateTimeOffset.UtcNow);
            return delay is null || delay <= maxRetryAfter;
        }
        return true;
    }
}

/// <summary>RoleSync's version, as sent in User-Agent and recorded on dead letters.</summary>
public static class RoleSyncInfo
{
    public static string Version { get; } =
        typeof(RoleSyncInfo).Assembly.GetName().Version?.ToString(3) ?? "0.0.0";
}
