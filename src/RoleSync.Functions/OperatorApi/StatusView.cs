namespace RoleSync.Functions.OperatorApi;

/// <summary>The answer of <c>GET /api/status</c>: RoleSync's version and its quarantine.</summary>
public sealed record StatusView(string Version, QuarantineView Quarantine);
