namespace RoleSync.Processing;

/// <summary>What the entry point knows about a message beyond its body.</summary>
/// <param name="ReceivedAt">When RoleSync received it (the queue's enqueued time); null: now.</param>
/// <param name="Redelivered">
/// It was delivered or attempted before (a redelivery, a retry copy, a replay): an earlier attempt may have sent a
/// PATCH whose effect is unknown, so a stale outcome is verified against Clerk.
/// </param>
/// <param name="EntryPoint">Through which door the change came (the message's signed lineage; <see cref="Processing.EntryPoint.Queue"/> when unsigned).</param>
/// <param name="Principal">Who submitted it (an operator's name), when the entry point knows; recorded in the membership history.</param>
/// <param name="Attempt">Which attempt of the message this is (1 or more), recorded in the membership history.</param>
/// <param name="LastAttempt">A transient outcome of this attempt ends the retries (<c>RetriesExhausted</c>): the history records it as rejected.</param>
public sealed record ProcessingContext(
    DateTimeOffset? ReceivedAt = null,
    bool Redelivered = false,
    EntryPoint EntryPoint = EntryPoint.Queue,
    string? Principal = null,
    int Attempt = 1,
    bool LastAttempt = false)
{
    public static ProcessingContext Default { get; } = new();
}
