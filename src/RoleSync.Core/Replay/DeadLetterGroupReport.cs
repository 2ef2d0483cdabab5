namespace RoleSync.Replay;

/// <summary>
/// The dead-letter queue grouped by reason, largest group first. <see cref="Scanned"/> dead letters were read (peeked,
/// at most <see cref="DeadLetterReplayer.MaxScanned"/>); <see cref="Truncated"/> says more were there, so the counts
/// cover only the oldest ones.
/// </summary>
public sealed record DeadLetterGroupReport(IReadOnlyList<DeadLetterGroup> Groups, int Scanned, bool Truncated);
