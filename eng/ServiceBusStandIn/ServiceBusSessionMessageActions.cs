using Microsoft.Azure.Functions.Worker.Converters;

namespace Microsoft.Azure.Functions.Worker;

/// <summary>Stand-in for the real session settlement API (declared for an identical surface; RoleSync does not use sessions).</summary>
[InputConverter(typeof(ServiceBusSessionMessageActionsConverter))]
public class ServiceBusSessionMessageActions
{
    protected ServiceBusSessionMessageActions()
    {
    }

    public virtual DateTimeOffset SessionLockedUntil { get; private set; }

    public virtual Task<BinaryData> GetSessionStateAsync(CancellationToken cancellationToken = default) => throw StandIn.NotSupported();

    public virtual Task SetSessionStateAsync(BinaryData sessionState, CancellationToken cancellationToken = default) => throw StandIn.NotSupported();

    public virtual Task ReleaseSession(CancellationToken cancellationToken = default) => throw StandIn.NotSupported();

    public virtual Task RenewSessionLockAsync(CancellationToken cancellationToken = default) => throw StandIn.NotSupported();
}
