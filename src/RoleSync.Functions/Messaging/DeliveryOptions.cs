using System.ComponentModel.DataAnnotations;

namespace RoleSync.Functions.Messaging;

/// <summary>
/// Configuration section "ServiceBus": what RoleSync must know of the queue's own settings. Set
/// <see cref="MaxDeliveryCount"/> to the queue's <c>maxDeliveryCount</c> (infra/app/servicebus.bicep, default 10).
/// </summary>
public sealed class DeliveryOptions
{
    public const string SectionName = "ServiceBus";

    /// <summary>
    /// The queue's MaxDeliveryCount. When a retry copy cannot be scheduled the message is left for redelivery, and on
    /// delivery <c>MaxDeliveryCount − 1</c> it is dead-lettered with RoleSync's reason instead (see
    /// <see cref="RoleSync.Messaging.SettlementPolicy.WhenRetryCopyFails"/>).
    /// </summary>
    [Range(1, 2000, ErrorMessage = "ServiceBus:MaxDeliveryCount must be between 1 and 2000, the queue's maxDeliveryCount (infra default 10).")]
    public int MaxDeliveryCount { get; set; } = 10;
}
