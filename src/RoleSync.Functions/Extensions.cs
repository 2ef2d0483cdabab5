using Azure.Core;
using Azure.Core.Extensions;
using Azure.Identity;
using Azure.Messaging.ServiceBus;
using Azure.Monitor.OpenTelemetry.Exporter;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.OpenTelemetry;
using Microsoft.Extensions.Azure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using RoleSync.AzureAdapters;
using RoleSync.Functions.Messaging;
using RoleSync.Functions.OperatorApi;
using RetryOptions = RoleSync.Messaging.RetryOptions;

namespace RoleSync.Functions;

/// <summary>Every registration of the Functions app (Program.cs calls <see cref="AddRoleSyncFunctions"/>).</summary>
public static class Extensions
{
    public const string AppInsightsConnectionStringKey = "APPLICATIONINSIGHTS_CONNECTION_STRING";
    public const string AppInsightsAuthenticationStringKey = "APPLICATIONINSIGHTS_AUTHENTICATION_STRING";

    /// <summary>
    /// The core (Clerk client, secret provider, Table Storage ledger, processor, reconciler), the queue trigger's handler
    /// and settler, the Service Bus sender for retry copies, the reconcile timer's options, the operator API, and
    /// OpenTelemetry. Options are validated at
    /// start with errors naming the setting. A literal Clerk secret key (<c>Clerk__SecretKey</c>) is accepted only in
    /// the Development environment.
    /// </summary>
    public static TBuilder AddRoleSyncFunctions<TBuilder>(this TBuilder builder)
        where TBuilder : IHostApplicationBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        var configuration = builder.Configuration;

        // Clerk client + secret key, the processor, the Table Storage ledger (in AzureWebJobsStorage's account).
        builder.AddRoleSyncCore();
        builder.AddRoleSyncTableLedger();
        builder.AddRoleSyncQuarantine(); // its state in the ledger's storage account
        builder.AddRoleSyncGuard(); // the bulk-change guard: counts and holds in the ledger's storage account

        services.AddOptions<RetryOptions>()
            .BindConfiguration(RetryOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddOptions<ProcessingOptions>()
            .BindConfiguration(ProcessingOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddOptions<DeliveryOptions>()
            .BindConfiguration(DeliveryOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddOptions<ServiceBusOptions>()
            .BindConfiguration(ServiceBusOptions.ConnectionKey)
            .Configure<IConfiguration>((options, root) => options.ReadRootSettings(root))
            .ValidateDataAnnotations()
            .ValidateOnStart();

        // The sender of retry copies: its retries bounded, so settlement fits in functionTimeout after the attempt deadline.
        services.AddAzureClients(clients => clients.AddRoleSyncServiceBusClient(configuration)
            .ConfigureOptions(options => AzureClientRetry.Bound(options.RetryOptions)));
        services.TryAddSingleton(provider => provider.GetRequiredService<ServiceBusClient>()
            .CreateSender(provider.GetRequiredService<IOptions<ServiceBusOptions>>().Value.QueueName));
        // POST /api/role-changes sends operators' changes to the queue with the same (bounded) sender.
        services.TryAddSingleton<RoleSync.Messaging.IRoleChangeQueue>(provider => new ServiceBusRoleChangeQueue(provider.GetRequiredService<ServiceBusSender>()));

        services.AddMetrics();
        services.TryAddSingleton<RoleSyncTelemetry>();
        services.TryAddSingleton<MessageSettler>();
        services.TryAddSingleton<RoleChangeMessageHandler>();

        // The Reconcile timer function: its schedule (read by the trigger) and mode. The Reconciler is the core's.
        services.AddOptions<ReconcileOptions>()
            .BindConfiguration(ReconcileOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();

        // The operator API's HTTP functions (OperatorApi/): dead-letter queue access and replay.
        services.AddRoleSyncReplay(configuration);

        // Every HTTP function behind the operator identity check (Entra app roles from Easy Auth's principal) and
        // the audit of state-changing calls, in the ledger's storage account. The middleware is added when the builder
        // is the Functions worker's (Program.cs); plain hosts (tests) get the services only.
        builder.AddRoleSyncTableAudit();
        services.AddRoleSyncOperatorAuth(builder.Environment.IsDevelopment());
        if (builder is IFunctionsWorkerApplicationBuilder worker)
        {
            worker.UseMiddleware<OperatorAuthMiddleware>();
        }

        AddOpenTelemetry(services, configuration);
        return builder;
    }

    /// <summary>
    /// Spans: RoleSync's message span, HttpClient (the Clerk and Key Vault calls) and the Azure SDK (Key Vault, Table
    /// Storage, Service Bus sends). Metrics: RoleSync's and HttpClient's. Exported to Azure Monitor when
    /// APPLICATIONINSIGHTS_CONNECTION_STRING is set (with Entra ID auth when APPLICATIONINSIGHTS_AUTHENTICATION_STRING
    /// says Authorization=AAD).
    /// </summary>
    private static void AddOpenTelemetry(IServiceCollection services, IConfiguration configuration)
    {
        var otel = services.AddOpenTelemetry()
            .UseFunctionsWorkerDefaults()
            .WithTracing(tracing => tracing.AddSource(RoleSyncTelemetry.Name, "System.Net.Http", "Azure.*"))
            .WithMetrics(metrics => metrics.AddMeter(RoleSyncTelemetry.Name, "System.Net.Http"));

        var connectionString = configuration[AppInsightsConnectionStringKey];
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            return;
        }
        AppContext.SetSwitch("Azure.Experimental.EnableActivitySource", true); // Azure SDK spans through ActivitySource
        var credential = AppInsightsCredential(configuration[AppInsightsAuthenticationStringKey]);
        otel.UseAzureMonitorExporter(exporter =>
        {
            exporter.ConnectionString = connectionString;
            if (credential is not null)
            {
                exporter.Credential = credential;
            }
        });
    }

    /// <summary>
    /// A <see cref="ServiceBusClient"/> from the <c>ServiceBusConnection</c> section, the one the trigger reads: a
    /// connection string as its value (local), or <c>fullyQualifiedNamespace</c> with the identity its
    /// <c>credential</c> / <c>clientId</c> name (Microsoft.Extensions.Azure builds both). Name and options are the caller's.
    /// </summary>
    internal static IAzureClientBuilder<ServiceBusClient, ServiceBusClientOptions> AddRoleSyncServiceBusClient(
        this AzureClientFactoryBuilder clients, IConfiguration configuration) =>
        clients.AddServiceBusClient(configuration.GetSection(ServiceBusOptions.ConnectionKey));

    /// <summary>
    /// <c>Authorization=AAD</c> (+ <c>ClientId=…</c> for a user-assigned identity) → a managed identity; else none.
    /// Hand-written: the exporter does not read App Insights' authentication string itself (the Functions host does,
    /// for its own telemetry), and its format is not a configuration section Microsoft.Extensions.Azure understands.
    /// </summary>
    internal static TokenCredential? AppInsightsCredential(string? authenticationString)
    {
        if (string.IsNullOrWhiteSpace(authenticationString))
        {
            return null;
        }
        var parts = authenticationString.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(part => part.Split('=', 2))
            .Where(pair => pair.Length == 2)
            .ToDictionary(pair => pair[0], pair => pair[1], StringComparer.OrdinalIgnoreCase);
        if (!parts.TryGetValue("Authorization", out var authorization) || !authorization.Equals("AAD", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }
        return new ManagedIdentityCredential(parts.TryGetValue("ClientId", out var clientId) && !string.IsNullOrWhiteSpace(clientId)
            ? ManagedIdentityId.FromUserAssignedClientId(clientId)
            : ManagedIdentityId.SystemAssigned);
    }
}
