namespace RoleSync.Replay;

/// <summary>One dead letter as an operator sees it.</summary>
public sealed record DeadLetterView(
    long SequenceNumber,
    string MessageId,
    string? EventId,
    string? OrganizationId,
    string? UserId,
    string? Role,
    string? DeadLetterReason,
    string? DeadLetterErrorDescription,
    DateTimeOffset EnqueuedTime,
    int DeliveryCount);
