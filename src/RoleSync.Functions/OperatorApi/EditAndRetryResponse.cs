using RoleSync.Replay;

namespace RoleSync.Functions.OperatorApi;

/// <summary>
/// The 200 answer of <c>POST /api/dead-letters/{sequenceNumber}/edit-and-retry</c>: the edited copy was sent under
/// <see cref="EventId"/> (also its MessageId) and the dead letter completed; <see cref="Resumed"/> when this call
/// finished an earlier try of the same edit.
/// </summary>
public sealed record EditAndRetryResponse(
    EditStatus Status, long SequenceNumber, string? OriginalMessageId, string? OriginalEventId, string? EventId, ReplayMode? Mode, bool Resumed)
{
    internal static EditAndRetryResponse From(EditResult result) =>
        new(result.Status, result.SequenceNumber, result.OriginalMessageId, result.OriginalEventId, result.EventId, result.Mode, result.Resumed);
}
