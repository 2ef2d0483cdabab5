namespace RoleSync.Functions.Messaging;

/// <summary>What was done with a message.</summary>
public enum SettlementAction
{
    Completed,
    RetryScheduled,
    DeadLettered,

    /// <summary>
    /// Completing the original failed after its retry copy was scheduled: the original was abandoned (so it is still
    /// there, and the broker redelivers it at once) and the copy cancelled, so the original is the only lineage.
    /// </summary>
    Abandoned,

    /// <summary>
    /// The retry copy could not be signed or scheduled: the message was left unsettled; its lock expires and the broker
    /// redelivers it after the queue's lock duration (until its last delivery, where it is dead-lettered instead).
    /// </summary>
    Unsettled,
}
