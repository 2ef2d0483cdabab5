using RoleSync.Quarantine;

namespace RoleSync.Functions.OperatorApi;

/// <summary>
/// The quarantine part of <c>GET /api/status</c>: on or off, since when, why (trigger and evidence; never the secret
/// key), the next probe and the probes so far; after a quarantine, the last one's times and trigger stay visible.
/// </summary>
public sealed record QuarantineView(
    bool Enabled,
    bool Active,
    DateTimeOffset? Since,
    string? Trigger,
    string? Detail,
    DateTimeOffset? NextProbeAt,
    bool ProbeDue,
    int Probes,
    DateTimeOffset? LastProbeAt,
    string? LastProbeResult,
    DateTimeOffset? ClosedAt)
{
    internal static QuarantineView From(bool enabled, QuarantineState s, DateTimeOffset now) => new(
        enabled, s.Active, s.Since, s.Trigger, s.Detail, s.Active ? s.NextProbeAt : null, s.Active && s.NextProbeAt <= now, s.Probes,
        s.LastProbeAt, s.LastProbeResult, s.ClosedAt);
}
