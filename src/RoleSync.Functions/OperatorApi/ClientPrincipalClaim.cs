namespace RoleSync.Functions.OperatorApi;

/// <summary>One claim of the platform's <c>X-MS-CLIENT-PRINCIPAL</c> JSON: <c>{"typ":"…","val":"…"}</c>.</summary>
internal sealed record ClientPrincipalClaim(string? Typ, string? Val);
