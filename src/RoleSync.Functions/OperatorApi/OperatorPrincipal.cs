namespace RoleSync.Functions.OperatorApi;

/// <summary>
/// The authenticated caller of an operator request, read from the platform's <c>X-MS-CLIENT-PRINCIPAL</c> by
/// <see cref="OperatorAuthorizer"/> and kept in <c>HttpContext.Items[<see cref="ItemKey"/>]</c> for the function
/// (<see cref="OperatorRequest.Caller"/> is how code reads it).
/// </summary>
/// <param name="ObjectId">The Entra object id (<c>oid</c>) of the user or service principal.</param>
/// <param name="Name">The display name (name claim, <c>preferred_username</c> or UPN); the object id when the token has none.</param>
/// <param name="Roles">The app roles the token carries.</param>
public sealed record OperatorPrincipal(string ObjectId, string Name, IReadOnlyList<string> Roles)
{
    /// <summary>The <c>HttpContext.Items</c> key of the authenticated principal.</summary>
    public const string ItemKey = "RoleSync.OperatorPrincipal";

    /// <summary>How audit records, message properties and logs name the caller: <c>"{name} ({oid})"</c>.</summary>
    public string DisplayName => $"{Name} ({ObjectId})";

    /// <summary>Whether the principal may call a route that requires <paramref name="role"/>; Operator also satisfies Reader.</summary>
    public bool HasRole(string role) =>
        Roles.Contains(role, StringComparer.Ordinal)
        || (role == OperatorRoles.Reader && Roles.Contains(OperatorRoles.Operator, StringComparer.Ordinal));
}
