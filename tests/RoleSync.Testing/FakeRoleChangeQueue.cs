using Azure.Messaging.ServiceBus;
using RoleSync.Messaging;

namespace RoleSync.Testing;

/// <summary>An in-memory role-changes queue: keeps every message sent; <see cref="Fail"/> makes the next sends throw.</summary>
public sealed class FakeRoleChangeQueue : IRoleChangeQueue
{
    private readonly Lock _gate = new();
    private readonly List<ServiceBusMessage> _sent = [];

    /// <summary>When set, a send throws it (Service Bus unreachable, forbidden, busy) and nothing is kept.</summary>
    public Exception? Fail { get; set; }

    public IReadOnlyList<ServiceBusMessage> Sent
    {
        get
        {
            lock (_gate)
            {
                return [.. _sent];
            }
        }
    }

    public Task SendAsync(ServiceBusMessage message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (Fail is { } failure)
        {
            throw failure;
        }
        lock (_gate)
        {
            _sent.Add(message);
        }
        return Task.CompletedTask;
    }
}
