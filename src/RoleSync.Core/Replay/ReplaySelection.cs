namespace RoleSync.Replay;

/// <summary>
/// Which dead letters to replay: explicit sequence numbers, or by reason (and organization), at most <see cref="Max"/>
/// per call; with <see cref="MaxSequenceNumber"/> only those up to it (a snapshot: later arrivals are left alone).
/// </summary>
public sealed record ReplaySelection(IReadOnlyList<long>? SequenceNumbers, string? Reason, string? OrganizationId, int Max)
{
    /// <summary>The highest sequence number the operator saw (<c>GET /api/dead-letters/groups</c>); null: no bound.</summary>
    public long? MaxSequenceNumber { get; init; }

    /// <summary>Sequence numbers an earlier call of the same request replayed already: never selected again.</summary>
    public IReadOnlySet<long> Exclude { get; init; } = new HashSet<long>();

    /// <summary>
    /// The selection as one canonical line (sequence numbers sorted), for audit records and to tell whether two
    /// requests with one request id ask for the same thing. <see cref="Max"/> is not part of it: it only pages.
    /// </summary>
    public string Describe() => SequenceNumbers is { } numbers
        ? $"sequenceNumbers={string.Join(',', numbers.Order())}"
        : $"reason={Reason ?? "*"} organizationId={OrganizationId ?? "*"} maxSequenceNumber={MaxSequenceNumber?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "*"}";
}
