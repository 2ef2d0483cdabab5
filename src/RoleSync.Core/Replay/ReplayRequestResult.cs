namespace RoleSync.Replay;

/// <summary>
/// The result of <see cref="IdempotentReplayer.ReplayAsync"/>: the <see cref="Report"/>, or, when the request id is
/// recorded for another selection, that earlier request (<see cref="Conflict"/>) and nothing done.
/// </summary>
public sealed record ReplayRequestResult(ReplayReport? Report, OperatorRequestRecord? Conflict);
