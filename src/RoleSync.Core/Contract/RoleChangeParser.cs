using System.Globalization;
using System.Text.Json;
using System.Text.Unicode;

namespace RoleSync.Contract;

/// <summary>The result of parsing one message body: a valid <see cref="RoleChange"/>, or every violation found.</summary>
public sealed class RoleChangeParseResult
{
    private RoleChangeParseResult(RoleChange? change, IReadOnlyList<string> errors, string? eventId)
    {
        Change = change;
        Errors = errors;
        EventId = eventId;
    }

    /// <summary>The change when the message is valid, otherwise null.</summary>
    public RoleChange? Change { get; }

    /// <summary>Every violation, each naming the field it concerns ("role: …"). Empty when valid.</summary>
    public IReadOnlyList<string> Errors { get; }

    /// <summary>The event id when one could be read, even from an invalid message (for logs and reports).</summary>
    public string? EventId { get; }

    public bool IsValid => Change is not null;

    internal static RoleChangeParseResult Valid(RoleChange change) => new(change, [], change.EventId);

    internal static RoleChangeParseResult Invalid(IReadOnlyList<string> errors, string? eventId) => new(null, errors, eventId);
}

/// <summary>
/// Parses and validates a role-change message body (UTF-8 JSON, plain or CloudEvents 1.0 structured form).
/// Never throws on bad input: every problem becomes a named violation. The rules are the message contract
/// (README, schemas/role-change.schema.json).
/// </summary>
public static class RoleChangeParser
{
    public const int MaxBodyBytes = 64 * 1024;
    public const int MaxEventIdLength = 128;
    public const int MaxIdSuffixLength = 64;
    public const int MaxRoleKeyLength = 64;
    public const int MaxSourceLength = 100;
    public const int MaxReasonLength = 500;
    public const string CloudEventType = "rolesync.role-change";

    /// <summary>How far in the future <c>occurredAt</c> may be (clock skew between producer and RoleSync).</summary>
    public static readonly TimeSpan MaxClockSkew = TimeSpan.FromMinutes(5);

    private const int MaxDepth = 32;

    public static RoleChangeParseResult Parse(ReadOnlySpan<byte> body, DateTimeOffset now)
    {
        if (body.Length > MaxBodyBytes)
        {
            return Fail($"body: {body.Length} bytes is larger than the limit of {MaxBodyBytes} bytes (64 KiB)");
        }
        if (body.StartsWith("\uFEFF"u8)) // the UTF-8 byte order mark, EF BB BF
        {
            body = body[3..];
        }
        if (body.IsEmpty)
        {
            return Fail("body: is empty; expected a JSON object");
        }
        if (!Utf8.IsValid(body))
        {
            return Fail("body: is not valid UTF-8");
        }

        var fields = new Fields();
        var errors = new List<string>();
        try
        {
            var reader = new Utf8JsonReader(body, new JsonReaderOptions { MaxDepth = MaxDepth, CommentHandling = JsonCommentHandling.Disallow });
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return Fail("body: must be a JSON object");
            }
            ReadTopLevel(ref reader, ref fields, errors);
            if (reader.Read())
            {
                return Fail("body: has content after the JSON object");
            }
        }
        catch (InvalidOperationException)
        {
            return Fail("body: contains a string escape that is not valid UTF-16 (a lone surrogate)");
        }
        catch (JsonException ex)
        {
            // Utf8JsonReader messages name the position, never anything beyond the input itself.
            return Fail($"body: is not valid JSON ({Sanitize(ex.Message)})");
        }

        return Validate(ref fields, errors, now);
    }

    private static RoleChangeParseResult Fail(string error) => RoleChangeParseResult.Invalid([error], null);

    private struct Fields
    {
        public Field EventId, OccurredAt, OrganizationId, UserId, Role, Source, Reason;
        public Field SpecVersion, Type, Id, Time, DataContentType;
        public Field DataOrganizationId, DataUserId, DataRole, DataReason;
        public Field Ignored;
        public bool HasData;
        public string? DataError;
    }

    private struct Field
    {
        public bool Present;
        public bool IsNull;         // present as JSON null
        public string? Value;       // the string; null when absent, null or not a string
        public string? TypeError;   // set when present with a non-string, non-null value
    }

    private static void ReadTopLevel(ref Utf8JsonReader reader, ref Fields f, List<string> errors)
    {
        List<string>? unknownNames = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("data"u8))
            {
                if (f.HasData)
                {
                    errors.Add("data: duplicate property name");
                }
                ReadData(ref reader, ref f, errors);
                continue;
            }
            ref Field field = ref SelectTopLevel(ref f, ref reader, out bool known);
            if (known)
            {
                ReadString(ref reader, ref field, errors);
            }
            else
            {
                CheckUnknownName(ref reader, ref unknownNames, "", errors);
                SkipValue(ref reader, errors);
            }
        }
    }

    private static ref Field SelectTopLevel(ref Fields f, ref Utf8JsonReader reader, out bool known)
    {
        known = true;
        if (reader.ValueTextEquals("eventId"u8)) return ref f.EventId;
        if (reader.ValueTextEquals("occurredAt"u8)) return ref f.OccurredAt;
        if (reader.ValueTextEquals("organizationId"u8)) return ref f.OrganizationId;
        if (reader.ValueTextEquals("userId"u8)) return ref f.UserId;
        if (reader.ValueTextEquals("role"u8)) return ref f.Role;
        if (reader.ValueTextEquals("source"u8)) return ref f.Source;
        if (reader.ValueTextEquals("reason"u8)) return ref f.Reason;
        if (reader.ValueTextEquals("specversion"u8)) return ref f.SpecVersion;
        if (reader.ValueTextEquals("type"u8)) return ref f.Type;
        if (reader.ValueTextEquals("id"u8)) return ref f.Id;
        if (reader.ValueTextEquals("time"u8)) return ref f.Time;
        if (reader.ValueTextEquals("datacontenttype"u8)) return ref f.DataContentType;
        known = false;
        return ref f.Ignored;
    }

    private static ref Field SelectData(ref Fields f, ref Utf8JsonReader reader, out bool known)
    {
        known = true;
        if (reader.ValueTextEquals("organizationId"u8)) return ref f.DataOrganizationId;
        if (reader.ValueTextEquals("userId"u8)) return ref f.DataUserId;
        if (reader.ValueTextEquals("role"u8)) return ref f.DataRole;
        if (reader.ValueTextEquals("reason"u8)) return ref f.DataReason;
        known = false;
        return ref f.Ignored;
    }

    private static void ReadData(ref Utf8JsonReader reader, ref Fields f, List<string> errors)
    {
        reader.Read();
        f.HasData = true;
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            f.DataError = $"data: must be a JSON object, not {Describe(reader.TokenType)}";
            reader.Skip();
            return;
        }
        List<string>? unknownNames = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            ref Field field = ref SelectData(ref f, ref reader, out bool known);
            if (known)
            {
                ReadString(ref reader, ref field, errors, "data.");
            }
            else
            {
                CheckUnknownName(ref reader, ref unknownNames, "data.", errors);
                SkipValue(ref reader, errors);
            }
        }
    }

    private static void CheckUnknownName(ref Utf8JsonReader reader, ref List<string>? seen, string prefix, List<string> errors)
    {
        var name = reader.GetString()!;
        seen ??= [];
        if (seen.Contains(name))
        {
            errors.Add($"{prefix}{Sanitize(name)}: duplicate property name");
        }
        else
        {
            seen.Add(name);
        }
    }

    private static void ReadString(ref Utf8JsonReader reader, ref Field field, List<string> errors, string prefix = "")
    {
        if (field.Present)
        {
            errors.Add($"{prefix}{reader.GetString()}: duplicate property name");
        }
        reader.Read();
        field = default;
        field.Present = true;
        switch (reader.TokenType)
        {
            case JsonTokenType.String:
                field.Value = reader.GetString();
                break;
            case JsonTokenType.Null:
                field.IsNull = true;
                break;
            default:
                field.TypeError = $"must be a string, not {Describe(reader.TokenType)}";
                reader.Skip();
                break;
        }
    }

    /// <summary>Skips an ignored value, still rejecting duplicate property names inside it.</summary>
    private static void SkipValue(ref Utf8JsonReader reader, List<string> errors)
    {
        var name = reader.GetString();
        reader.Read();
        if (reader.TokenType is not (JsonTokenType.StartObject or JsonTokenType.StartArray))
        {
            return;
        }
        // Rare path (unknown structured properties): track the names of every open object.
        var depth = reader.CurrentDepth;
        var open = new Stack<HashSet<string>?>();
        open.Push(reader.TokenType == JsonTokenType.StartObject ? new HashSet<string>(StringComparer.Ordinal) : null);
        while (reader.Read())
        {
            switch (reader.TokenType)
            {
                case JsonTokenType.StartObject:
                    open.Push(new HashSet<string>(StringComparer.Ordinal));
                    break;
                case JsonTokenType.StartArray:
                    open.Push(null);
                    break;
                case JsonTokenType.EndObject or JsonTokenType.EndArray:
                    open.Pop();
                    if (reader.CurrentDepth == depth)
                    {
                        return;
                    }
                    break;
                case JsonTokenType.PropertyName:
                    var inner = reader.GetString()!;
                    if (open.Peek() is { } names && !names.Add(inner))
                    {
                        errors.Add($"{Sanitize(name)}: duplicate property name \"{Sanitize(inner)}\" inside it");
                    }
                    break;
            }
        }
    }

    private static RoleChangeParseResult Validate(ref Fields f, List<string> errors, DateTimeOffset now)
    {
        bool cloudEvent = f.SpecVersion.Present;
        string? eventId, occurredAt, organizationId, userId, role, source, reason;
        if (cloudEvent)
        {
            if (f.SpecVersion.Value != "1.0")
            {
                errors.Add(f.SpecVersion.Value is null ? "specversion: must be the string \"1.0\"" : $"specversion: must be \"1.0\", not \"{Sanitize(f.SpecVersion.Value)}\"");
            }
            if (Require(f.Type, "type", errors) is { } type && type != CloudEventType)
            {
                errors.Add($"type: must be \"{CloudEventType}\", not \"{Sanitize(type)}\"");
            }
            if (Optional(f.DataContentType, "datacontenttype", errors) is { } contentType && !IsJsonContentType(contentType))
            {
                errors.Add($"datacontenttype: must be \"application/json\", not \"{Sanitize(contentType)}\"");
            }
            eventId = Require(f.Id, "id", errors);
            occurredAt = Require(f.Time, "time", errors);
            source = Require(f.Source, "source", errors);
            if (f.DataError is not null)
            {
                errors.Add(f.DataError);
            }
            if (!f.HasData)
            {
                errors.Add("data: is required (an object with organizationId, userId and role)");
            }
            organizationId = f.HasData && f.DataError is null ? Require(f.DataOrganizationId, "data.organizationId", errors) : null;
            userId = f.HasData && f.DataError is null ? Require(f.DataUserId, "data.userId", errors) : null;
            role = f.HasData && f.DataError is null ? Require(f.DataRole, "data.role", errors) : null;
            reason = Optional(f.DataReason, "data.reason", errors);
        }
        else
        {
            eventId = Require(f.EventId, "eventId", errors);
            occurredAt = Require(f.OccurredAt, "occurredAt", errors);
            organizationId = Require(f.OrganizationId, "organizationId", errors);
            userId = Require(f.UserId, "userId", errors);
            role = Require(f.Role, "role", errors);
            source = Optional(f.Source, "source", errors);
            reason = Optional(f.Reason, "reason", errors);
        }

        string prefix = cloudEvent ? "data." : "";
        if (eventId is not null)
        {
            CheckEventId(eventId, cloudEvent ? "id" : "eventId", errors);
        }
        DateTimeOffset at = default;
        if (occurredAt is not null)
        {
            at = CheckTimestamp(occurredAt, cloudEvent ? "time" : "occurredAt", now, errors);
        }
        if (organizationId is not null && !IsPrefixedId(organizationId, "org_"))
        {
            errors.Add($"{prefix}organizationId: must be \"org_\" followed by 1-{MaxIdSuffixLength} ASCII letters or digits, not \"{Sanitize(organizationId)}\"");
        }
        if (userId is not null && !IsPrefixedId(userId, "user_"))
        {
            errors.Add($"{prefix}userId: must be \"user_\" followed by 1-{MaxIdSuffixLength} ASCII letters or digits, not \"{Sanitize(userId)}\"");
        }
        if (role is not null)
        {
            CheckRole(role, prefix + "role", errors);
        }
        if (source is not null && source.Length > MaxSourceLength)
        {
            errors.Add($"source: {source.Length} characters is longer than {MaxSourceLength}");
        }
        if (reason is not null && reason.Length > MaxReasonLength)
        {
            errors.Add($"{prefix}reason: {reason.Length} characters is longer than {MaxReasonLength}");
        }

        if (errors.Count > 0)
        {
            return RoleChangeParseResult.Invalid(errors, eventId is not null && eventId.Length <= MaxEventIdLength ? eventId : null);
        }
        return RoleChangeParseResult.Valid(new RoleChange(eventId!, at, organizationId!, userId!, role!, source, reason));
    }

    private static string? Require(Field field, string name, List<string> errors)
    {
        if (!field.Present)
        {
            errors.Add($"{name}: is required");
        }
        else if (field.IsNull)
        {
            errors.Add($"{name}: must be a string, not null");
        }
        else if (field.TypeError is not null)
        {
            errors.Add($"{name}: {field.TypeError}");
        }
        return field.Value;
    }

    /// <summary>An optional string: absent or null mean "not given".</summary>
    private static string? Optional(Field field, string name, List<string> errors)
    {
        if (field.TypeError is not null)
        {
            errors.Add($"{name}: {field.TypeError}");
        }
        return field.Value;
    }

    private static void CheckEventId(string value, string name, List<string> errors)
    {
        if (value.Length is 0 or > MaxEventIdLength)
        {
            errors.Add($"{name}: must be 1-{MaxEventIdLength} characters, not {value.Length}");
        }
        foreach (var c in value)
        {
            if (char.IsControl(c))
            {
                errors.Add($"{name}: must not contain control characters (found U+{(int)c:X4})");
                break;
            }
        }
    }

    /// <summary>RFC 3339 date-time with an explicit offset: 2026-11-28T12:00:00Z, 2026-11-28T12:00:00.123+01:00.</summary>
    private static DateTimeOffset CheckTimestamp(string value, string name, DateTimeOffset now, List<string> errors)
    {
        if (!TryParseRfc3339(value, out var at))
        {
            errors.Add($"{name}: must be an RFC 3339 timestamp with an explicit offset (e.g. 2026-11-28T12:00:00Z), not \"{Sanitize(value)}\"");
            return default;
        }
        if (at > now + MaxClockSkew)
        {
            errors.Add($"{name}: {value} is more than {MaxClockSkew.TotalMinutes:0} minutes in the future (now is {now.UtcDateTime:yyyy-MM-ddTHH:mm:ssZ})");
        }
        return at;
    }

    internal static bool TryParseRfc3339(string s, out DateTimeOffset value)
    {
        value = default;
        // date-time = YYYY-MM-DD "T" HH:MM:SS [ "." 1*DIGIT ] ( "Z" / ("+"/"-") HH:MM )
        if (s.Length < 20 || s.Length > 64)
        {
            return false;
        }
        if (!(Digits(s, 0, 4) && s[4] == '-' && Digits(s, 5, 2) && s[7] == '-' && Digits(s, 8, 2)
              && (s[10] is 'T' or 't') && Digits(s, 11, 2) && s[13] == ':' && Digits(s, 14, 2) && s[16] == ':' && Digits(s, 17, 2)))
        {
            return false;
        }
        int i = 19;
        int fractionStart = -1, fractionEnd = -1;
        if (s[i] == '.')
        {
            fractionStart = ++i;
            while (i < s.Length && char.IsAsciiDigit(s[i]))
            {
                i++;
            }
            fractionEnd = i;
            if (fractionEnd == fractionStart)
            {
                return false;
            }
        }
        if (i >= s.Length)
        {
            return false;
        }
        TimeSpan offset;
        if (s[i] is 'Z' or 'z' && i == s.Length - 1)
        {
            offset = TimeSpan.Zero;
        }
        else if (s[i] is '+' or '-' && i + 6 == s.Length && Digits(s, i + 1, 2) && s[i + 3] == ':' && Digits(s, i + 4, 2))
        {
            int oh = Num(s, i + 1, 2), om = Num(s, i + 4, 2);
            if (oh > 23 || om > 59)
            {
                return false;
            }
            offset = new TimeSpan(oh, om, 0);
            if (s[i] == '-')
            {
                offset = -offset;
            }
        }
        else
        {
            return false;
        }

        int year = Num(s, 0, 4), month = Num(s, 5, 2), day = Num(s, 8, 2);
        int hour = Num(s, 11, 2), minute = Num(s, 14, 2), second = Num(s, 17, 2);
        if (year < 1 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month) || hour > 23 || minute > 59 || second > 59)
        {
            return false;
        }
        long ticks = 0;
        if (fractionStart >= 0)
        {
            // Keep 100 ns precision (7 digits); further digits are truncated.
            for (int d = 0; d < 7; d++)
            {
                ticks = ticks * 10 + (fractionStart + d < fractionEnd ? s[fractionStart + d] - '0' : 0);
            }
        }
        try
        {
            value = new DateTimeOffset(year, month, day, hour, minute, second, offset).AddTicks(ticks);
            return true;
        }
        catch (ArgumentOutOfRangeException)
        {
            return false; // e.g. 0001-01-01T00:00:00+01:00 is before DateTimeOffset.MinValue in UTC
        }
    }

    private static bool Digits(string s, int start, int count)
    {
        for (int i = start; i < start + count; i++)
        {
            if (!char.IsAsciiDigit(s[i]))
            {
                return false;
            }
        }
        return true;
    }

    private static int Num(string s, int start, int count) => int.Parse(s.AsSpan(start, count), NumberStyles.None, CultureInfo.InvariantCulture);

    /// <summary>Clerk-style ID: the prefix, then 1-64 ASCII letters or digits. Nothing else can reach a URL.</summary>
    public static bool IsPrefixedId(string value, string prefix)
    {
        if (!value.StartsWith(prefix, StringComparison.Ordinal))
        {
            return false;
        }
        var rest = value.AsSpan(prefix.Length);
        return rest.Length is >= 1 and <= MaxIdSuffixLength && !rest.ContainsAnyExcept(IdChars);
    }

    private static readonly System.Buffers.SearchValues<char> IdChars =
        System.Buffers.SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789");

    private static readonly System.Buffers.SearchValues<char> RoleKeyChars =
        System.Buffers.SearchValues.Create("abcdefghijklmnopqrstuvwxyz0123456789_");

    /// <summary>Role key: "org:" then 1-64 of [a-z0-9_].</summary>
    public static bool IsRoleKey(string value)
    {
        if (!value.StartsWith("org:", StringComparison.Ordinal))
        {
            return false;
        }
        var key = value.AsSpan(4);
        return key.Length is >= 1 and <= MaxRoleKeyLength && !key.ContainsAnyExcept(RoleKeyChars);
    }

    private static void CheckRole(string role, string name, List<string> errors)
    {
        if (IsRoleKey(role))
        {
            return;
        }
        var hint = !role.StartsWith("org:", StringComparison.Ordinal) && role.Length is >= 1 and <= MaxRoleKeyLength && !role.AsSpan().ContainsAnyExcept(RoleKeyChars)
            ? $" (did you mean \"org:{role}\"?)"
            : "";
        errors.Add($"{name}: must be \"org:\" followed by 1-{MaxRoleKeyLength} lowercase letters, digits or underscores, not \"{Sanitize(role)}\"{hint}");
    }

    private static bool IsJsonContentType(string value)
    {
        var mediaType = value.AsSpan();
        var semicolon = mediaType.IndexOf(';');
        if (semicolon >= 0)
        {
            mediaType = mediaType[..semicolon];
        }
        return mediaType.Trim().Equals("application/json", StringComparison.OrdinalIgnoreCase);
    }

    private static string Describe(JsonTokenType token) => token switch
    {
        JsonTokenType.StartObject => "an object",
        JsonTokenType.StartArray => "an array",
        JsonTokenType.Number => "a number",
        JsonTokenType.True or JsonTokenType.False => "a boolean",
        JsonTokenType.String => "a string",
        JsonTokenType.Null => "null",
        _ => token.ToString(),
    };

    /// <summary>Quotes user input in an error safely: single line, printable, at most 80 characters.</summary>
    internal static string Sanitize(string? value)
    {
        if (value is null)
        {
            return "";
        }
        var text = value.Length > 80 ? value[..80] + "…" : value;
        return string.Create(text.Length, text, static (span, t) =>
        {
            for (int i = 0; i < t.Length; i++)
            {
                span[i] = char.IsControl(t[i]) ? '?' : t[i];
            }
        });
    }
}
