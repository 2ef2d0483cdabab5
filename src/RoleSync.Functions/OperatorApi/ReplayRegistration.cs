using Azure.Messaging.ServiceBus;
using Microsoft.Extensions.Azure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using RoleSync.Replay;

namespace RoleSync.Functions.OperatorApi;

/// <summary>Registrations of the operator API: the dead-letter queue adapter and the replayer.</summary>
internal static class ReplayRegistration
{
    public const string ClientName = "replay";

    /// <summary>
    /// A dedicated Service Bus client with cross-entity transactions enabled (send to the queue + complete in its
    /// dead-letter queue atomically); <c>Replay__UseTransactions=false</c> for namespaces without transactions (Basic).
    /// </summary>
    public static IServiceCollection AddRoleSyncReplay(this IServiceCollection services, IConfiguration configuration)
    {
        bool useTransactions = configuration.GetValue("Replay:UseTransactions", true);
        services.AddAzureClients(clients => clients.AddRoleSyncServiceBusClient()
            .WithName(ClientName)
            .ConfigureOptions(options => options.EnableCrossEntityTransactions = useTransactions));
        services.TryAddSingleton<IDeadLetterQueue>(provider => ServiceBusDeadLetterQueue.Create(
            provider.GetRequiredService<IAzureClientFactory<ServiceBusClient>>().CreateClient(ClientName),
            provider.GetRequiredService<IOptions<ServiceBusOptions>>().Value.QueueName!,
            useTransactions));
        services.TryAddSingleton<DeadLetterReplayer>();
        return services;
    }
}
