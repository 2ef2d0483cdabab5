namespace RoleSync.Replay;

/// <summary>
/// The result of one edit-and-retry of the dead letter <see cref="SequenceNumber"/>: <see cref="Status"/>, the
/// violations of an invalid body (<see cref="Errors"/>), a <see cref="Detail"/> otherwise, and for a sent copy its
/// <see cref="EventId"/> (= its MessageId, <c>{original eventId}~edit1</c>), the <see cref="Mode"/>, and whether it
/// finished an earlier try of the same edit (<see cref="Resumed"/>).
/// </summary>
public sealed record EditResult(
    EditStatus Status,
    long SequenceNumber,
    string? OriginalMessageId,
    string? OriginalEventId,
    string? EventId,
    ReplayMode? Mode,
    bool Resumed,
    IReadOnlyList<string> Errors,
    string? Detail);
