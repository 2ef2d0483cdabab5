using System.Text.Json;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Primitives;

namespace RoleSync.ClerkSandbox;

/// <summary>The joiner/leaver endpoints: POST and DELETE memberships, and GET /v1/users.</summary>
internal sealed partial class ClerkApi
{
    /// <summary>POST /v1/organizations/{organization_id}/memberships with {"user_id":"user_…","role":"org:…"} (metadata allowed).</summary>
    private IResult CreateMembership(string organizationId, HttpContext http)
    {
        var arrival = http.Features.GetRequiredFeature<ArrivalFeature>();
        if (ReadCreate(arrival.Body, out string userId, out string role) is { } invalid)
        {
            return Error(invalid);
        }

        if (MembershipRateLimit(organizationId, userId) is { } limited)
        {
            return limited;
        }

        var outcome = state.CreateMembership(organizationId, userId, role, out var membership);
        return ClerkError.ForOutcome(outcome) is { } error
            ? Error(error)
            : Results.Json(membership, ClerkJsonContext.Default.MembershipResponse);
    }

    /// <summary>DELETE /v1/organizations/{organization_id}/memberships/{user_id}: 200 with the deleted membership.</summary>
    private IResult DeleteMembership(string organizationId, string userId)
    {
        if (MembershipRateLimit(organizationId, userId) is { } limited)
        {
            return limited;
        }

        var outcome = state.DeleteMembership(organizationId, userId, out var membership);
        return ClerkError.ForOutcome(outcome) is { } error
            ? Error(error)
            : Results.Json(membership, ClerkJsonContext.Default.MembershipResponse);
    }

    /// <summary>GET /v1/users?email_address=…&amp;external_id=…&amp;user_id=…&amp;limit=…&amp;offset=…: a bare JSON array of users.</summary>
    private IResult FindUsers(HttpContext http)
    {
        var query = http.Request.Query;
        if (!TryReadInt(query["limit"], fallback: 10, min: 1, max: 500, out int limit))
        {
            return Error(ClerkError.ParamInvalid("limit"));
        }

        if (!TryReadInt(query["offset"], fallback: 0, min: 0, max: int.MaxValue, out int offset))
        {
            return Error(ClerkError.ParamInvalid("offset"));
        }

        HashSet<string>? Filter(string name, StringComparer comparer)
        {
            StringValues values = query[name];
            return values.Count > MaxFilterValues ? null : values.OfType<string>().Where(v => v.Length > 0).ToHashSet(comparer);
        }

        var userIds = Filter("user_id", StringComparer.Ordinal);
        var externalIds = Filter("external_id", StringComparer.Ordinal);
        var emails = Filter("email_address", StringComparer.OrdinalIgnoreCase);
        if (userIds is null || externalIds is null || emails is null)
        {
            return Error(ClerkError.ParamInvalid(userIds is null ? "user_id" : externalIds is null ? "external_id" : "email_address"));
        }

        return Results.Json(state.Users.Find(userIds, externalIds, emails, limit, offset), ClerkJsonContext.Default.IReadOnlyListUserResponse);
    }

    /// <summary>Null when the body is an object with string user_id and role (and at most metadata besides); else Clerk's error.</summary>
    private static ClerkError? ReadCreate(string body, out string userId, out string role)
    {
        userId = role = "";
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(string.IsNullOrWhiteSpace(body) ? "{}" : body);
        }
        catch (JsonException)
        {
            return ClerkError.ParamInvalid("user_id");
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                return ClerkError.ParamInvalid("user_id");
            }

            string? user = null, roleKey = null;
            foreach (var property in document.RootElement.EnumerateObject())
            {
                switch (property.Name)
                {
                    case "user_id" when property.Value.ValueKind == JsonValueKind.String:
                        user = property.Value.GetString();
                        break;
                    case "role" when property.Value.ValueKind == JsonValueKind.String:
                        roleKey = property.Value.GetString();
                        break;
                    case "user_id" or "role":
                        return ClerkError.ParamInvalid(property.Name);
                    case "public_metadata" or "private_metadata":
                        break;
                    default:
                        return ClerkError.ParamUnknown(property.Name);
                }
            }

            if (string.IsNullOrEmpty(user) || string.IsNullOrEmpty(roleKey))
            {
                return ClerkError.ParamMissing(string.IsNullOrEmpty(user) ? "user_id" : "role");
            }

            (userId, role) = (user, roleKey);
            return null;
        }
    }
}
