using System.Globalization;
using System.Text;

namespace RoleSync.Testing;

/// <summary>Builds role-change message bodies for tests.</summary>
public static class Messages
{
    public static readonly DateTimeOffset BaseTime = new(2026, 11, 28, 12, 0, 0, TimeSpan.Zero);

    public static string Plain(
        string eventId = "evt-1",
        DateTimeOffset? occurredAt = null,
        string organizationId = RoleSyncHarness.OrgId,
        string userId = RoleSyncHarness.MemberId,
        string role = "org:admin",
        string? source = "workday",
        string? reason = null)
    {
        var at = (occurredAt ?? BaseTime).ToString("yyyy-MM-dd'T'HH:mm:ss.fffffffK", CultureInfo.InvariantCulture);
        var extra = (source is null ? "" : $",\"source\":\"{source}\"") + (reason is null ? "" : $",\"reason\":\"{reason}\"");
        return $"{{\"eventId\":\"{eventId}\",\"occurredAt\":\"{at}\",\"organizationId\":\"{organizationId}\",\"userId\":\"{userId}\",\"role\":\"{role}\"{extra}}}";
    }

    public static string CloudEvent(
        string id = "evt-1",
        DateTimeOffset? time = null,
        string organizationId = RoleSyncHarness.OrgId,
        string userId = RoleSyncHarness.MemberId,
        string role = "org:admin",
        string source = "workday")
    {
        var at = (time ?? BaseTime).ToString("yyyy-MM-dd'T'HH:mm:ssK", CultureInfo.InvariantCulture);
        return $"{{\"specversion\":\"1.0\",\"type\":\"rolesync.role-change\",\"source\":\"{source}\",\"id\":\"{id}\",\"time\":\"{at}\",\"datacontenttype\":\"application/json\",\"data\":{{\"organizationId\":\"{organizationId}\",\"userId\":\"{userId}\",\"role\":\"{role}\"}}}}";
    }

    /// <summary>
    /// A contract 1.1 message: the user by <paramref name="userId"/>, <paramref name="externalId"/> or
    /// <paramref name="emailAddress"/> (whichever are given), <paramref name="action"/> when given, <paramref name="role"/>
    /// when not null; plain, or a CloudEvent when <paramref name="cloudEvent"/>.
    /// </summary>
    public static string Message(
        string eventId = "evt-1",
        DateTimeOffset? occurredAt = null,
        string organizationId = RoleSyncHarness.OrgId,
        string? userId = null,
        string? externalId = null,
        string? emailAddress = null,
        string? role = "org:admin",
        string? action = null,
        bool cloudEvent = false)
    {
        var at = (occurredAt ?? BaseTime).ToString("yyyy-MM-dd'T'HH:mm:ss.fffffffK", CultureInfo.InvariantCulture);
        var fields = new List<string> { $"\"organizationId\":{Q(organizationId)}" };
        void Add(string name, string? value)
        {
            if (value is not null)
            {
                fields.Add($"{Q(name)}:{Q(value)}");
            }
        }
        Add("userId", userId);
        Add("externalId", externalId);
        Add("emailAddress", emailAddress);
        Add("role", role);
        Add("action", action);
        var subject = string.Join(",", fields);
        return cloudEvent
            ? $"{{\"specversion\":\"1.0\",\"type\":\"rolesync.role-change\",\"source\":\"workday\",\"id\":{Q(eventId)},\"time\":\"{at}\",\"data\":{{{subject}}}}}"
            : $"{{\"eventId\":{Q(eventId)},\"occurredAt\":\"{at}\",{subject},\"source\":\"workday\"}}";
    }

    private static string Q(string value) => System.Text.Json.JsonSerializer.Serialize(value);

    public static ReadOnlyMemory<byte> Bytes(string json) => Encoding.UTF8.GetBytes(json);
}
