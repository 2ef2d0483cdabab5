using Azure.Messaging.ServiceBus;
using RoleSync.Messaging;

namespace RoleSync.AzureAdapters;

/// <summary><see cref="IRoleChangeQueue"/> over a <see cref="ServiceBusSender"/> for the role-changes queue (the app's bounded-retry sender).</summary>
public sealed class ServiceBusRoleChangeQueue(ServiceBusSender sender) : IRoleChangeQueue
{
    public Task SendAsync(ServiceBusMessage message, CancellationToken cancellationToken = default) =>
        sender.SendMessageAsync(message, cancellationToken);
}
