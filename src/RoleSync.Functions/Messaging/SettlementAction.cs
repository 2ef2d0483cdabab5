namespace RoleSync.Functions.Messaging;

/// <summary>What was done with a message.</summary>
public enum SettlementAction
{
    Completed,
    RetryScheduled,
    DeadLettered,
    /// <summary>The retry copy could not be scheduled: the broker redelivers the message (up to MaxDeliveryCount).</summary>
    Abandoned,
}
