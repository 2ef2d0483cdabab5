namespace RoleSync.Replay;

/// <summary>The answer to one replay call; <see cref="Mode"/> is null when nothing was sent (dry run, nothing selected).</summary>
public sealed record ReplayReport(bool DryRun, ReplayMode? Mode, int Selected, int Replayed, int Failed, int NotFound, bool More, IReadOnlyList<ReplayItem> Items);
