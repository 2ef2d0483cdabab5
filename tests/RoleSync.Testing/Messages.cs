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

    public static ReadOnlyMemory<byte> Bytes(string json) => Encoding.UTF8.GetBytes(json);
}
