namespace RoleSync.Guard;

/// <summary>
/// One organization's guard row: the privilege-reducing changes counted in the window (<see cref="Recent"/>), whether
/// the organization is holding them (<see cref="Holding"/>), how many holds it has numbered (<see cref="HoldSequence"/>),
/// and the last operator decision (<see cref="DecidedThrough"/>: it covers every hold numbered up to there). Written
/// conditionally on <see cref="ETag"/>, so every host shares one count.
/// </summary>
public sealed record GuardWindow(
    string OrganizationId,
    IReadOnlyList<GuardMark> Recent,
    bool Holding = false,
    DateTimeOffset? HoldingSince = null,
    long HoldSequence = 0,
    long DecidedThrough = 0,
    GuardDecision LastDecision = GuardDecision.Held,
    string? DecidedBy = null,
    DateTimeOffset? DecidedAt = null)
{
    /// <summary>The stored version; null when there is no row yet.</summary>
    public string? ETag { get; init; }

    /// <summary>An organization with no row yet.</summary>
    public static GuardWindow Empty(string organizationId) => new(organizationId, []);

    /// <summary>This window without the marks older than <paramref name="since"/>.</summary>
    public GuardWindow Since(DateTimeOffset since) => this with { Recent = [.. Recent.Where(m => m.At > since)] };
}
