using Azure.Data.Tables;
using Azure.Identity;
using Azure.Security.KeyVault.Secrets;
using Microsoft.Extensions.Azure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using RoleSync.Audit;
using RoleSync.Clerk;
using RoleSync.History;
using RoleSync.Ledger;
using RoleSync.Lifecycle;
using RoleSync.Messaging;
using RoleSync.Processing;
using RoleSync.Guard;
using RoleSync.Quarantine;
using RoleSync.Reconcile;
using RoleSync.Replay;
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
    /// The processing policy with its Clerk client and secret key, and the membership history (in memory until
    /// <see cref="AddRoleSyncTableLedger{TBuilder}"/> puts it in Table Storage). A ledger must be added too:
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
        builder.Services.AddOptions<HistoryOptions>()
            .BindConfiguration(HistoryOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        // The membership history: in memory unless the edge adds the Table one (AddRoleSyncTableLedger) or its own.
        builder.Services.TryAddSingleton<IMembershipHistory, InMemoryMembershipHistory>();
        builder.Services.TryAddSingleton<MembershipHistoryRecorder>();
        builder.Services.TryAddSingleton<HistoryRetention>();
        builder.Services.TryAddSingleton<MembershipConverger>();
        builder.Services.TryAddSingleton<Reconciler>();
        builder.AddRoleSyncLifecycle();
        builder.Services.TryAddSingleton<RoleChangeProcessor>();
        builder.Services.TryAddSingleton<MessageSigner>();
        return builder;
    }

    /// <summary>
    /// Joiners, movers and leavers (contract 1.1): the role mapping <c>Roles:Map</c>, validated at start-up, the step
    /// that resolves a change before ordering (<see cref="RoleChangeResolver"/>, <see cref="UserResolver"/> with
    /// <c>Users:CacheDuration</c> and <c>Users:CacheSize</c>) and the membership writes (<see cref="MembershipWriter"/>,
    /// <c>Membership:CreateMissing</c>).
    /// </summary>
    public static TBuilder AddRoleSyncLifecycle<TBuilder>(this TBuilder builder)
        where TBuilder : IHostApplicationBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddOptions<RoleMappingOptions>().BindConfiguration(RoleMappingOptions.SectionName).ValidateOnStart();
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<RoleMappingOptions>, RoleMappingOptionsValidator>());
        builder.Services.AddOptions<MembershipOptions>().BindConfiguration(MembershipOptions.SectionName).ValidateOnStart();
        builder.Services.AddOptions<UserResolutionOptions>().BindConfiguration(UserResolutionOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.TryAddSingleton<RoleMapper>();
        builder.Services.TryAddSingleton<MembershipWriter>();
        builder.Services.TryAddSingleton<UserResolver>();
        builder.Services.TryAddSingleton<RoleChangeResolver>();
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
        services.TryAddSingleton<ClerkCallWindow>(); // the quarantine's per-host count of Clerk calls
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
            // Outermost: one count per call, its in-process retries included (the quarantine's failure ratio).
            .AddHttpMessageHandler(provider => new ClerkCallCounter(provider.GetRequiredService<ClerkCallWindow>()))
            .AddResilienceHandler("clerk", (pipeline, context) => ClerkResilience.Configure(
                pipeline,
                context.ServiceProvider.GetRequiredService<IOptions<ClerkOptions>>().Value,
                context.ServiceProvider.GetRequiredService<ClerkRateLimiter>(),
                context.ServiceProvider.GetRequiredService<TimeProvider>()));
        return builder;
    }

    /// <summary>
    /// Dead-letter replay and edit-and-retry on an <see cref="IDeadLetterQueue"/> the edge registers: the operator
    /// request store (<see cref="TableOperatorRequestStore"/>, table <c>Replay:RequestTableName</c> in the ledger's
    /// storage account: call <see cref="AddRoleSyncTableLedger{TBuilder}"/> too), the replayers, the grouper and the editor.
    /// </summary>
    public static IServiceCollection AddRoleSyncDeadLetterTools(this IServiceCollection services)
    {
        services.AddOptions<ReplayOptions>()
            .BindConfiguration(ReplayOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.TryAddSingleton<IOperatorRequestStore>(provider => new TableOperatorRequestStore(
            provider.GetRequiredService<TableServiceClient>().GetTableClient(provider.GetRequiredService<IOptions<ReplayOptions>>().Value.RequestTableName)));
        services.TryAddSingleton<DeadLetterReplayer>();
        services.TryAddSingleton<IdempotentReplayer>();
        services.TryAddSingleton<DeadLetterGrouper>();
        services.TryAddSingleton<DeadLetterEditor>();
        return services;
    }

    /// <summary>
    /// The ledger in Azure Table Storage (see <see cref="LedgerStorage"/> for where): a <see cref="TableServiceClient"/>
    /// from Microsoft.Extensions.Azure and the table <c>Ledger:TableName</c>; the membership history in the same account
    /// (<c>History:TableName</c>). No storage configured: start-up fails
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
        // The membership history next to the ledger (same account, History:TableName), replacing the core's in-memory default.
        var inMemoryDefault = builder.Services.FirstOrDefault(d => d.ServiceType == typeof(IMembershipHistory) && d.ImplementationType == typeof(InMemoryMembershipHistory));
        if (inMemoryDefault is not null)
        {
            builder.Services.Remove(inMemoryDefault);
        }
        builder.Services.TryAddSingleton<IMembershipHistory>(provider => new TableMembershipHistory(
            provider.GetRequiredService<TableServiceClient>().GetTableClient(provider.GetRequiredService<IOptions<HistoryOptions>>().Value.TableName)));
        return builder;
    }

    /// <summary>
    /// The operator action audit in Table Storage: the table <c>Audit:TableName</c> (default <c>rolesyncaudit</c>) in the
    /// ledger's account, through the same <see cref="TableServiceClient"/>; call after <see cref="AddRoleSyncTableLedger{TBuilder}"/>.
    /// </summary>
    public static TBuilder AddRoleSyncTableAudit<TBuilder>(this TBuilder builder)
        where TBuilder : IHostApplicationBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddOptions<AuditOptions>()
            .BindConfiguration(AuditOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.TryAddSingleton<IOperatorAuditLog>(provider => new TableOperatorAuditLog(
            provider.GetRequiredService<TableServiceClient>().GetTableClient(provider.GetRequiredService<IOptions<AuditOptions>>().Value.TableName)));
        return builder;
    }

    /// <summary>
    /// The deployment-wide quarantine (<see cref="QuarantineGuard"/>, options <c>Quarantine:*</c>), its state in Table
    /// Storage in the ledger's account (<see cref="TableQuarantineStore"/>, table <c>Quarantine:TableName</c>) unless an
    /// <see cref="IQuarantineStore"/> is registered first. Needs <see cref="AddRoleSyncCore{TBuilder}"/> and
    /// <see cref="AddRoleSyncTableLedger{TBuilder}"/> (or that store).
    /// </summary>
    public static TBuilder AddRoleSyncQuarantine<TBuilder>(this TBuilder builder)
        where TBuilder : IHostApplicationBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddOptions<QuarantineOptions>()
            .BindConfiguration(QuarantineOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.TryAddSingleton<IQuarantineStore>(provider => new TableQuarantineStore(
            provider.GetRequiredService<TableServiceClient>().GetTableClient(provider.GetRequiredService<IOptions<QuarantineOptions>>().Value.TableName)));
        builder.Services.TryAddSingleton<QuarantineCircuit>();
        builder.Services.TryAddSingleton<QuarantineProbe>();
        builder.Services.TryAddSingleton<QuarantineGuard>();
        return builder;
    }

    /// <summary>
    /// The bulk-change guard (<see cref="BulkChangeGuard"/>, <see cref="GuardHolds"/>, options <c>Guard:*</c>), its
    /// counts and holds in Table Storage in the ledger's account (<see cref="TableGuardStore"/>, table <c>Guard:TableName</c>)
    /// unless an <see cref="IGuardStore"/> is registered first. Needs <see cref="AddRoleSyncCore{TBuilder}"/> and
    /// <see cref="AddRoleSyncTableLedger{TBuilder}"/> (or that store).
    /// </summary>
    public static TBuilder AddRoleSyncGuard<TBuilder>(this TBuilder builder)
        where TBuilder : IHostApplicationBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddOptions<GuardOptions>()
            .BindConfiguration(GuardOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.TryAddSingleton<IGuardStore>(provider => new TableGuardStore(
            provider.GetRequiredService<TableServiceClient>().GetTableClient(provider.GetRequiredService<IOptions<GuardOptions>>().Value.TableName)));
        builder.Services.TryAddSingleton<BulkChangeGuard>();
        builder.Services.TryAddSingleton<GuardHolds>();
        return builder;
    }
}
