namespace RoleSync.Functions.OperatorApi;

/// <summary>The answer of <c>GET /api/me</c>: the caller's display name, Entra object id, app roles, and whether they hold <see cref="OperatorRoles.Operator"/>.</summary>
public sealed record MeView(string Name, string ObjectId, IReadOnlyList<string> Roles, bool CanOperate);
