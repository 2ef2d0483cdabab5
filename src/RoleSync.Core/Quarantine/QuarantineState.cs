namespace RoleSync.Quarantine;

/// <summary>
/// The deployment's quarantine circuit, one row shared by every host (<see cref="IQuarantineStore"/>). While
/// <see cref="Active"/>, no host calls Clerk; one probe per interval decides when to close. After closing, the row
/// keeps the last episode (<see cref="Since"/>, <see cref="Trigger"/>, …) for the status endpoint.
/// </summary>
/// <param name="Active">Quarantine is on.</param>
/// <param name="Since">When the (last) quarantine opened.</param>
/// <param name="Trigger">Why (<see cref="QuarantineTriggers"/>).</param>
/// <param name="Detail">The evidence, one line, never the secret key.</param>
/// <param name="NextProbeAt">When the next probe is due (while active).</param>
/// <param name="Probes">Probes claimed so far in this episode.</param>
/// <param name="LastProbeAt">When the last probe was claimed.</param>
/// <param name="LastProbeResult">What the last probe found.</param>
/// <param name="ClosedAt">When the last quarantine closed (null while active or never).</param>
/// <param name="ProbeOrganizationId">An organization the probe reads one membership of (the trigger's).</param>
/// <param name="ETag">The store's version of the row (null: no row yet).</param>
public sealed record QuarantineState(
    bool Active,
    DateTimeOffset? Since = null,
    string? Trigger = null,
    string? Detail = null,
    DateTimeOffset? NextProbeAt = null,
    int Probes = 0,
    DateTimeOffset? LastProbeAt = null,
    string? LastProbeResult = null,
    DateTimeOffset? ClosedAt = null,
    string? ProbeOrganizationId = null,
    string? ETag = null)
{
    /// <summary>No quarantine, and none recorded.</summary>
    public static QuarantineState None { get; } = new(false);
}
