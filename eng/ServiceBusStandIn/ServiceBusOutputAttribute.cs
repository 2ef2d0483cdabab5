using Microsoft.Azure.Functions.Worker.Extensions.Abstractions;

namespace Microsoft.Azure.Functions.Worker;

/// <summary>Stand-in for the real output attribute (declared for an identical surface; RoleSync does not use it).</summary>
public sealed class ServiceBusOutputAttribute(string queueOrTopicName, ServiceBusEntityType entityType = ServiceBusEntityType.Queue)
    : OutputBindingAttribute
{
    public string QueueOrTopicName { get; private set; } = queueOrTopicName;

    public string? Connection { get; set; }

    public ServiceBusEntityType EntityType { get; set; } = entityType;
}

public enum ServiceBusEntityType
{
    Queue,
    Topic,
}
