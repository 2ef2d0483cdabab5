using Azure.Messaging.ServiceBus;
using Microsoft.Azure.Functions.Worker;
using RoleSync.Functions.Messaging;

namespace RoleSync.Functions;

/// <summary>The queue trigger: hands each role-change message to <see cref="RoleChangeMessageHandler"/>, which settles it.</summary>
public sealed class ProcessRoleChangeFunction(RoleChangeMessageHandler handler)
{
    public const string Name = "ProcessRoleChange";

    [Function(Name)]
    public Task RunAsync(
        [ServiceBusTrigger("%" + ServiceBusOptions.QueueNameKey + "%", Connection = ServiceBusOptions.ConnectionKey, AutoCompleteMessages = false)]
        ServiceBusReceivedMessage message,
        ServiceBusMessageActions messageActions,
        CancellationToken cancellationToken) =>
        handler.HandleAsync(message, messageActions, cancellationToken);
}
