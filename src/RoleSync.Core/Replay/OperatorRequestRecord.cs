namespace RoleSync.Replay;

/// <summary>
/// One state-changing operator request RoleSync recorded before acting on it (<see cref="IOperatorRequestStore"/>):
/// under <see cref="Key"/> (<c>replay:{requestId}</c>, <c>edit:{sequenceNumber}</c>), what it asked for
/// (<see cref="Fingerprint"/>: a second request under the key asks for the same thing only when this matches), who
/// and when.
/// </summary>
public sealed record OperatorRequestRecord(string Key, string Fingerprint, string Caller, DateTimeOffset RecordedAt);
