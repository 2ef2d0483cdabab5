namespace RoleSync.Functions.OperatorApi;

/// <summary>The answer of <c>GET /api/holds</c>: whether the guard is on, and every organization with changes waiting for an operator.</summary>
public sealed record HoldListResponse(bool GuardEnabled, int MaxPerWindow, TimeSpan Window, IReadOnlyList<HoldSummaryView> Organizations);
