using Azure.Messaging.ServiceBus;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Azure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using RoleSync.Replay;
using RoleSync.AzureAdapters;

namespace RoleSync.Functions.OperatorApi;

/// <summary>
/// Registrations of the operator API: how its answers are written, the dead-letter queue adapter, and the core's
/// dead-letter tools (replay, groups, edit-and-retry, the operator request store).
/// </summary>
internal static class ReplayRegistration
{
    public const string ClientName = "replay";

    /// <summary>
    /// <see cref="AddOperatorApiResults"/>, and a dedicated Service Bus client with cross-entity transactions enabled
    /// (send to the queue + complete in its dead-letter queue atomically); <c>Replay__UseTransactions=false</c> for
    /// namespaces without transactions (Basic).
    /// </summary>
    public static IServiceCollection AddRoleSyncReplay(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOperatorApiResults();
        bool useTransactions = configuration.GetValue("Replay:UseTransactions", true);
        services.AddAzureClients(clients => clients.AddRoleSyncServiceBusClient(configuration)
            .WithName(ClientName)
            .ConfigureOptions(options => options.EnableCrossEntityTransactions = useTransactions));
        services.TryAddSingleton<IDeadLetterQueue>(provider => ServiceBusDeadLetterQueue.Create(
            provider.GetRequiredService<IAzureClientFactory<ServiceBusClient>>().CreateClient(ClientName),
            provider.GetRequiredService<IOptions<ServiceBusOptions>>().Value.QueueName!,
            useTransactions));
        services.AddRoleSyncDeadLetterTools();
        return services;
    }

    /// <summary>
    /// What the functions' <see cref="IResult"/>s need when ASP.NET Core executes them: the HTTP JSON options resolve
    /// the operator types from <see cref="OperatorJson"/> first and escape as it does (System.Text.Json's default, not
    /// ASP.NET Core's relaxed escaping), and problems go through <see cref="OperatorProblemDetailsWriter"/>, the first
    /// problem details writer.
    /// </summary>
    public static IServiceCollection AddOperatorApiResults(this IServiceCollection services)
    {
        services.ConfigureHttpJsonOptions(options =>
        {
            options.SerializerOptions.TypeInfoResolverChain.Insert(0, OperatorJson.Default);
            options.SerializerOptions.Encoder = OperatorJson.Default.Options.Encoder;
        });
        if (!services.Any(d => d.ServiceType == typeof(IProblemDetailsWriter) && d.ImplementationType == typeof(OperatorProblemDetailsWriter)))
        {
            // First: the service asks its writers in registration order, and the default one may be registered already.
            services.Insert(0, ServiceDescriptor.Singleton<IProblemDetailsWriter, OperatorProblemDetailsWriter>());
        }
        services.AddProblemDetails();
        return services;
    }
}
