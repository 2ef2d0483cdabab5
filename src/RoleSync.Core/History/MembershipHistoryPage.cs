namespace RoleSync.History;

/// <summary>One page of a membership's history, newest first; <see cref="ContinuationToken"/> (opaque) asks for the next, null at the end.</summary>
public sealed record MembershipHistoryPage(IReadOnlyList<MembershipHistoryEntry> Entries, string? ContinuationToken);
