using System.Text.Json;

namespace RoleSync.Functions.OperatorApi;

/// <summary>
/// Parses <c>X-MS-CLIENT-PRINCIPAL</c> (Base64 of the platform's principal JSON) into an <see cref="OperatorPrincipal"/>.
/// Claim types go through the platform's claim mapping, so each value is looked up under its known names: roles under
/// <c>role_typ</c>, <c>roles</c> and the WS-Federation role URI; the object id under the identity
/// <c>objectidentifier</c> URI or <c>oid</c>; the name under <c>name_typ</c>, <c>name</c>, <c>preferred_username</c>
/// or the UPN URI (the object id when there is none: app-only tokens carry no name).
/// </summary>
internal static class ClientPrincipalParser
{
    public const string RoleClaimUri = "http://schemas.microsoft.com/ws/2008/06/identity/claims/role";
    public const string ObjectIdClaimUri = "http://schemas.microsoft.com/identity/claims/objectidentifier";
    public const string UpnClaimUri = "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/upn";

    /// <summary>The principal, or null with the reason the header cannot be read.</summary>
    public static (OperatorPrincipal? Principal, string? Error) Parse(string header)
    {
        var bytes = new byte[header.Length];
        if (!Convert.TryFromBase64String(header.Trim(), bytes, out var length))
        {
            return (null, "X-MS-CLIENT-PRINCIPAL is not valid Base64.");
        }
        ClientPrincipalWire? wire;
        try
        {
            wire = JsonSerializer.Deserialize(bytes.AsSpan(0, length), ClientPrincipalJson.Default.ClientPrincipalWire);
        }
        catch (JsonException ex)
        {
            return (null, $"X-MS-CLIENT-PRINCIPAL is not the platform's principal JSON: {ex.Message}");
        }
        if (wire?.Claims is not { } claims)
        {
            return (null, "X-MS-CLIENT-PRINCIPAL has no claims.");
        }

        string? First(params string?[] types) => types.Where(t => !string.IsNullOrEmpty(t))
            .Select(t => claims.FirstOrDefault(c => c is not null && c.Typ == t && !string.IsNullOrWhiteSpace(c.Val))?.Val)
            .FirstOrDefault(v => v is not null);

        if (First(ObjectIdClaimUri, "oid") is not { } objectId)
        {
            return (null, "X-MS-CLIENT-PRINCIPAL has no object id claim (oid).");
        }
        var roleTypes = new HashSet<string>(StringComparer.Ordinal) { "roles", RoleClaimUri };
        if (!string.IsNullOrEmpty(wire.RoleTyp))
        {
            roleTypes.Add(wire.RoleTyp);
        }
        var roles = claims.Where(c => c?.Typ is { } typ && roleTypes.Contains(typ) && !string.IsNullOrWhiteSpace(c.Val))
            .Select(c => c!.Val!).Distinct(StringComparer.Ordinal).ToArray();
        var name = First(wire.NameTyp, "name", "preferred_username", UpnClaimUri) ?? objectId;
        return (new OperatorPrincipal(objectId, Clean(name), roles), null);
    }

    private static string Clean(string value) => new(value.Where(c => !char.IsControl(c)).Take(256).ToArray());
}
