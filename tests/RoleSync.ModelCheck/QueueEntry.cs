namespace RoleSync.ModelCheck;

/// <summary>
/// One message on the simulated queue: a delivery of a <see cref="Lineage"/>'s change. <see cref="Attempt"/> is RoleSync's
/// rolesync-attempt (a scheduled retry copy is a new entry with the next attempt), <see cref="DeliveryCount"/> the queue's
/// own count (a crash or a lost lock delivers the same message again), <see cref="LockVersion"/> tells a worker that
/// its lock was lost meanwhile (its settlement then fails).
/// </summary>
internal sealed class QueueEntry(int id, Lineage lineage, int attempt, int deliveryCount, DateTimeOffset visibleAt)
{
    public int Id { get; } = id;

    public Lineage Lineage { get; } = lineage;

    public int Attempt { get; } = attempt;

    public int DeliveryCount { get; set; } = deliveryCount;

    public DateTimeOffset VisibleAt { get; set; } = visibleAt;

    public int LockVersion { get; set; }

    public override string ToString() => $"m{Id}({Lineage.Change.EventId} {Lineage.Name}, attempt {Attempt}, delivery {DeliveryCount})";
}
