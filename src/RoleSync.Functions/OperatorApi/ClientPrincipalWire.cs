namespace RoleSync.Functions.OperatorApi;

/// <summary>The decoded <c>X-MS-CLIENT-PRINCIPAL</c>: <c>{"auth_typ","claims":[…],"name_typ","role_typ"}</c>.</summary>
internal sealed record ClientPrincipalWire(string? AuthTyp, IReadOnlyList<ClientPrincipalClaim>? Claims, string? NameTyp, string? RoleTyp);
