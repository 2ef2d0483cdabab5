using System.Buffers;
using System.Text;
using System.Text.Json;

namespace RoleSync.ModelCheck;

/// <summary>
/// The simulated Clerk's data and rules, as the Clerk Backend API documents them and tools/RoleSync.ClerkSandbox answers:
/// organizations with their role keys and members; a PATCH of a role the organization does not have is 404
/// <c>resource_not_found</c> with <c>meta.param_name</c> "role"; demoting the last admin is 400
/// <c>organization_minimum_permissions_needed</c>; a GET lists the members whose user_id is asked for (paged).
/// </summary>
internal sealed class ClerkState
{
    public const string AdminRole = "org:admin";

    private readonly Dictionary<string, (HashSet<string> Roles, SortedDictionary<string, string> Members)> _organizations = new(StringComparer.Ordinal);

    /// <summary>Per membership, the highest request sequence of an accepted PATCH (to tell a late PATCH from a later one).</summary>
    private readonly Dictionary<(string, string), long> _lastAccepted = [];

    public void AddOrganization(string organizationId, IEnumerable<string> roles) =>
        _organizations[organizationId] = (new HashSet<string>(roles, StringComparer.Ordinal), new SortedDictionary<string, string>(StringComparer.Ordinal));

    public void AddMember(string organizationId, string userId, string role) => _organizations[organizationId].Members[userId] = role;

    public string? RoleOf(string organizationId, string userId) =>
        _organizations.TryGetValue(organizationId, out var org) && org.Members.TryGetValue(userId, out var role) ? role : null;

    /// <summary>Sets a role behind RoleSync's back (a dashboard edit; the check's own self-test).</summary>
    public void Overwrite(string organizationId, string userId, string role) => _organizations[organizationId].Members[userId] = role;

    /// <summary>Carries the request out (a PATCH changes the role when Clerk accepts it) and returns the answer.</summary>
    /// <param name="request">The request.</param>
    /// <param name="overtaken">Set when an accepted PATCH was sent before another PATCH of the same membership that Clerk already accepted.</param>
    public ClerkAnswer Execute(ClerkRequest request, out bool overtaken)
    {
        overtaken = false;
        if (!request.Authorized)
        {
            return Error(401, "clerk_key_invalid", "The provided Clerk Secret Key is invalid.");
        }
        if (!_organizations.TryGetValue(request.OrganizationId, out var org))
        {
            return Error(404, "resource_not_found", "Given organization not found.");
        }
        if (!request.IsPatch)
        {
            var matches = org.Members.Where(m => request.UserIds.Count == 0 || request.UserIds.Contains(m.Key)).ToList();
            return new(200, List(request.OrganizationId, matches, request.Offset, request.Limit));
        }
        var userId = request.UserId!;
        var role = request.Role!;
        if (request.Method == "POST")
        {
            if (org.Members.ContainsKey(userId))
            {
                return Error(400, "already_a_member_in_organization", "User is already a member of the organization.");
            }
            if (!org.Roles.Contains(role))
            {
                // Simplification: Clerk's create answers 422 for an unknown role; the model answers as for a PATCH (404, param role).
                return Error(404, "resource_not_found", "Organization role not found", "role");
            }
            org.Members[userId] = role;
            return Accepted(request, userId, role, out overtaken);
        }
        if (!org.Members.TryGetValue(userId, out var current))
        {
            return Error(404, "resource_not_found", "Resource not found");
        }
        if (request.Method == "DELETE")
        {
            if (current == AdminRole && !org.Members.Any(m => m.Key != userId && m.Value == AdminRole))
            {
                return Error(400, "organization_minimum_permissions_needed", "There has to be at least one organization member with the minimum required permissions");
            }
            org.Members.Remove(userId);
            return Accepted(request, userId, current, out overtaken);
        }
        if (!org.Roles.Contains(role))
        {
            return Error(404, "resource_not_found", "Organization role not found", "role");
        }
        if (current == AdminRole && role != AdminRole && !org.Members.Any(m => m.Key != userId && m.Value == AdminRole))
        {
            return Error(400, "organization_minimum_permissions_needed", "There has to be at least one organization member with the minimum required permissions");
        }
        org.Members[userId] = role;
        return Accepted(request, userId, role, out overtaken);
    }

    /// <summary>The 200 answer of an accepted write; notes when it was sent before a write of the membership Clerk already accepted.</summary>
    private ClerkAnswer Accepted(ClerkRequest request, string userId, string role, out bool overtaken)
    {
        var key = (request.OrganizationId, userId);
        overtaken = _lastAccepted.TryGetValue(key, out var last) && last > request.Sequence;
        _lastAccepted[key] = Math.Max(last, request.Sequence);
        return new(200, Json(w => WriteMembership(w, request.OrganizationId, userId, role)));
    }

    public static ClerkAnswer Error(int status, string code, string longMessage, string? paramName = null, int? retryAfterSeconds = null) =>
        new(status, Json(w =>
        {
            w.WriteStartObject();
            w.WriteStartArray("errors");
            w.WriteStartObject();
            w.WriteString("message", code.Replace('_', ' '));
            w.WriteString("long_message", longMessage);
            w.WriteString("code", code);
            if (paramName is not null)
            {
                w.WriteStartObject("meta");
                w.WriteString("param_name", paramName);
                w.WriteEndObject();
            }
            w.WriteEndObject();
            w.WriteEndArray();
            w.WriteString("clerk_trace_id", "modelcheck");
            w.WriteEndObject();
        }), retryAfterSeconds);

    private static string List(string organizationId, List<KeyValuePair<string, string>> members, int offset, int limit) => Json(w =>
    {
        w.WriteStartObject();
        w.WriteStartArray("data");
        foreach (var (userId, role) in members.Skip(offset).Take(limit))
        {
            WriteMembership(w, organizationId, userId, role);
        }
        w.WriteEndArray();
        w.WriteNumber("total_count", members.Count);
        w.WriteEndObject();
    });

    private static void WriteMembership(Utf8JsonWriter w, string organizationId, string userId, string role)
    {
        w.WriteStartObject();
        w.WriteString("object", "organization_membership");
        w.WriteString("id", "orgmem_" + userId["user_".Length..]);
        w.WriteString("role", role);
        w.WriteStartObject("organization");
        w.WriteString("object", "organization");
        w.WriteString("id", organizationId);
        w.WriteEndObject();
        w.WriteStartObject("public_user_data");
        w.WriteString("user_id", userId);
        w.WriteEndObject();
        w.WriteEndObject();
    }

    private static string Json(Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            write(writer);
        }
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}
