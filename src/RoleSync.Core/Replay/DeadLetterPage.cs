namespace RoleSync.Replay;

/// <summary>A page of dead letters; <see cref="NextSequenceNumber"/> continues the listing (null at the end).</summary>
public sealed record DeadLetterPage(IReadOnlyList<DeadLetterView> Items, long? NextSequenceNumber);
