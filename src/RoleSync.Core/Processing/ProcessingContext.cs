namespace RoleSync.Processing;

/// <summary>What the entry point knows about a message beyond its body.</summary>
/// <param name="ReceivedAt">When RoleSync received it (the queue's enqueued time); null: now.</param>
/// <param name="Redelivered">
/// It was delivered or attempted before (a redelivery, a retry copy, a replay): an earlier attempt may have sent a
/// PATCH whose effect is unknown, so a stale outcome is verified against Clerk.
/// </param>
public sealed record ProcessingContext(DateTimeOffset? ReceivedAt = null, bool Redelivered = false)
{
    public static ProcessingContext Default { get; } = new();
}
