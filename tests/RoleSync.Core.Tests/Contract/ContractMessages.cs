namespace RoleSync.Core.Tests.Contract;

/// <summary>
/// Builds message bodies as raw JSON text, so tests control every byte: each property is a name and the raw JSON of its value.
/// Overrides replace a default property's value in place (null removes it) or are appended.
/// </summary>
internal static class ContractMessages
{
    public static readonly DateTimeOffset Now = new(2026, 11, 28, 12, 0, 0, TimeSpan.Zero);
    public const string OrgId = "org_2g7np7Hrk0SN6kj5EDMLDaKNL0S";
    public const string UserId = "user_2h8op3Isl1QR7tKu5FGNfaLKEoU";

    public static string Plain(params (string Name, string? Raw)[] overrides) => Object(
        [("eventId", Q("evt-1")), ("occurredAt", Q("2026-11-28T12:00:00Z")), ("organizationId", Q(OrgId)), ("userId", Q(UserId)), ("role", Q("org:admin"))],
        overrides);

    public static string CloudEvent(params (string Name, string? Raw)[] overrides) => Object(
        [("specversion", Q("1.0")), ("type", Q("rolesync.role-change")), ("source", Q("workday")), ("id", Q("evt-1")),
         ("time", Q("2026-11-28T12:00:00Z")), ("datacontenttype", Q("application/json")), ("data", Data())],
        overrides);

    public static string Data(params (string Name, string? Raw)[] overrides) => Object(
        [("organizationId", Q(OrgId)), ("userId", Q(UserId)), ("role", Q("org:admin"))],
        overrides);

    /// <summary>A JSON string literal.</summary>
    public static string Q(string value) => JsonSerializer.Serialize(value);

    public static RoleChangeParseResult Parse(string json) => RoleChangeParser.Parse(Encoding.UTF8.GetBytes(json), Now);

    private static string Object((string Name, string Raw)[] defaults, (string Name, string? Raw)[] overrides)
    {
        var properties = defaults.Select(d => (d.Name, Raw: (string?)d.Raw)).ToList();
        foreach (var (name, raw) in overrides)
        {
            var index = properties.FindIndex(p => p.Name == name);
            if (index < 0)
            {
                properties.Add((name, raw));
            }
            else
            {
                properties[index] = (name, raw);
            }
        }
        return "{" + string.Join(",", properties.Where(p => p.Raw is not null).Select(p => $"{Q(p.Name)}:{p.Raw}")) + "}";
    }
}
