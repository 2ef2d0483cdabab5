using Azure.Messaging.ServiceBus;

namespace RoleSync.Messaging;

/// <summary>
/// Sends a message to the role-changes queue, the one way into processing for changes RoleSync is handed itself (an
/// operator's <c>POST /api/role-changes</c>): the queue's retries, dead-lettering and verification then apply to them as
/// to any producer's. Built by <see cref="RoleChangeMessages.Submission"/>. Production:
/// <see cref="AzureAdapters.ServiceBusRoleChangeQueue"/>; tests: a fake that keeps what was sent.
/// </summary>
public interface IRoleChangeQueue
{
    /// <summary>Sends <paramref name="message"/>; a failure (Service Bus unreachable, forbidden, busy) throws.</summary>
    Task SendAsync(ServiceBusMessage message, CancellationToken cancellationToken = default);
}
