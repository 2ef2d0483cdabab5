using static RoleSync.Core.Tests.Contract.ContractMessages;

namespace RoleSync.Core.Tests.Contract;

/// <summary>The validator rule by rule, with the exact errors it reports (docs/message-contract.md quotes them).</summary>
public sealed class RoleChangeParserTests
{
    private const string IdHint = "must be \"org_\" followed by 1-64 ASCII letters or digits";
    private const string RoleRule = "must be \"org:\" followed by 1-64 lowercase letters, digits or underscores";
    private const string TimeRule = "must be an RFC 3339 timestamp with an explicit offset (e.g. 2026-11-28T12:00:00Z)";

    private static void AssertErrors(RoleChangeParseResult result, params string[] expected)
    {
        Assert.False(result.IsValid);
        Assert.Null(result.Change);
        Assert.Equal(expected.Order(StringComparer.Ordinal), result.Errors.Order(StringComparer.Ordinal));
    }

    private static RoleChange AssertValid(RoleChangeParseResult result)
    {
        Assert.True(result.IsValid, string.Join(" | ", result.Errors));
        Assert.Empty(result.Errors);
        return result.Change!;
    }

    private static RoleChangeParseResult Parse(byte[] body) => RoleChangeParser.Parse(body, Now);

    [Fact]
    public void Plain_message_maps_every_field()
    {
        var change = AssertValid(ContractMessages.Parse(Plain(("source", Q("workday")), ("reason", Q("promotion")))));

        Assert.Equal(new RoleChange("evt-1", Now, OrgId, UserId, "org:admin", "workday", "promotion"), change);
    }

    [Fact]
    public void Plain_message_without_source_and_reason_has_nulls()
    {
        var change = AssertValid(ContractMessages.Parse(Plain(("source", "null"))));

        Assert.Null(change.Source);
        Assert.Null(change.Reason);
    }

    [Fact]
    public void CloudEvent_maps_id_time_source_and_data()
    {
        var body = CloudEvent(
            ("id", Q("ce-42")), ("time", Q("2026-11-28T13:00:00+01:00")), ("source", Q("/hr/workday")),
            ("data", Data(("role", Q("org:billing")), ("reason", Q("new team")))));

        var change = AssertValid(ContractMessages.Parse(body));

        Assert.Equal(new RoleChange("ce-42", Now, OrgId, UserId, "org:billing", "/hr/workday", "new team"), change);
        Assert.Equal(TimeSpan.FromHours(1), change.OccurredAt.Offset);
    }

    [Fact]
    public void CloudEvent_ignores_plain_fields_at_the_top_level()
    {
        var body = CloudEvent(("eventId", Q("plain-id")), ("occurredAt", Q("2020-01-01T00:00:00Z")), ("role", Q("admin")), ("reason", Q("top level")));

        var change = AssertValid(ContractMessages.Parse(body));

        Assert.Equal(("evt-1", Now, "org:admin", (string?)null), (change.EventId, change.OccurredAt, change.Role, change.Reason));
    }

    [Fact]
    public void Plain_message_ignores_cloudevent_attributes_without_specversion()
    {
        var body = Plain(("id", Q("ce-id")), ("time", "5"), ("type", Q("other")), ("data", Q("text")));

        Assert.Equal("evt-1", AssertValid(ContractMessages.Parse(body)).EventId);
    }

    public static TheoryData<string, string?, string> PlainFieldViolations => new()
    {
        { "eventId", null, "eventId: is required" },
        { "eventId", "null", "eventId: must be a string, not null" },
        { "eventId", "42", "eventId: must be a string, not a number" },
        { "eventId", "\"\"", "eventId: must be 1-128 characters, not 0" },
        { "eventId", Q(new string('e', 129)), "eventId: must be 1-128 characters, not 129" },
        { "eventId", "\"evt\\u00071\"", "eventId: must not contain control characters (found U+0007)" },
        { "eventId", "\"evt\\u0085\"", "eventId: must not contain control characters (found U+0085)" },
        { "occurredAt", null, "occurredAt: is required" },
        { "occurredAt", "true", "occurredAt: must be a string, not a boolean" },
        { "occurredAt", Q("2026-11-28T12:00:00"), $"occurredAt: {TimeRule}, not \"2026-11-28T12:00:00\"" },
        { "organizationId", null, "organizationId: is required" },
        { "organizationId", "{}", "organizationId: must be a string, not an object" },
        { "organizationId", Q("org_../.."), $"organizationId: {IdHint}, not \"org_../..\"" },
        { "organizationId", Q("org_"), $"organizationId: {IdHint}, not \"org_\"" },
        { "userId", null, "userId: is required (or externalId or emailAddress)" },
        { "userId", "[]", "userId: must be a string, not an array" },
        { "userId", Q("user_a%2Fb"), "userId: must be \"user_\" followed by 1-64 ASCII letters or digits, not \"user_a%2Fb\"" },
        { "role", null, "role: is required" },
        { "role", Q("admin"), $"role: {RoleRule}, not \"admin\" (did you mean \"org:admin\"?)" },
        { "role", Q("org:Admin"), $"role: {RoleRule}, not \"org:Admin\"" },
        { "role", Q("Admin"), $"role: {RoleRule}, not \"Admin\"" },
        { "role", Q("org:"), $"role: {RoleRule}, not \"org:\"" },
        { "source", Q(new string('s', 101)), "source: 101 characters is longer than 100" },
        { "source", "7", "source: must be a string, not a number" },
        { "reason", Q(new string('r', 501)), "reason: 501 characters is longer than 500" },
        { "reason", "false", "reason: must be a string, not a boolean" },
    };

    [Theory]
    [MemberData(nameof(PlainFieldViolations))]
    public void Each_plain_rule_names_its_field(string field, string? rawValue, string expectedError)
    {
        var result = ContractMessages.Parse(Plain((field, rawValue)));

        AssertErrors(result, expectedError);
    }

    [Fact]
    public void Every_violation_is_listed_not_just_the_first()
    {
        var body = Plain(
            ("eventId", "\"\""), ("occurredAt", Q("yesterday")), ("organizationId", Q("org_a/b")), ("userId", null),
            ("role", Q("admin")), ("source", "1"), ("reason", Q(new string('r', 501))));

        AssertErrors(ContractMessages.Parse(body),
            "eventId: must be 1-128 characters, not 0",
            $"occurredAt: {TimeRule}, not \"yesterday\"",
            $"organizationId: {IdHint}, not \"org_a/b\"",
            "userId: is required (or externalId or emailAddress)",
            $"role: {RoleRule}, not \"admin\" (did you mean \"org:admin\"?)",
            "source: must be a string, not a number",
            "reason: 501 characters is longer than 500");
    }

    public static TheoryData<string, string> CloudEventViolations => new()
    {
        { CloudEvent(("specversion", Q("0.3"))), "specversion: must be \"1.0\", not \"0.3\"" },
        { CloudEvent(("specversion", "1.0")), "specversion: must be the string \"1.0\"" },
        { CloudEvent(("specversion", "null")), "specversion: must be the string \"1.0\"" },
        { CloudEvent(("type", Q("com.example.role-change"))), "type: must be \"rolesync.role-change\", not \"com.example.role-change\"" },
        { CloudEvent(("type", null)), "type: is required" },
        { CloudEvent(("id", null)), "id: is required" },
        { CloudEvent(("id", "\"\"")), "id: must be 1-128 characters, not 0" },
        { CloudEvent(("time", null)), "time: is required" },
        { CloudEvent(("time", Q("2026-11-28"))), $"time: {TimeRule}, not \"2026-11-28\"" },
        { CloudEvent(("source", null)), "source: is required" },
        { CloudEvent(("source", "null")), "source: must be a string, not null" },
        { CloudEvent(("source", Q(new string('s', 101)))), "source: 101 characters is longer than 100" },
        { CloudEvent(("datacontenttype", Q("application/xml"))), "datacontenttype: must be \"application/json\", not \"application/xml\"" },
        { CloudEvent(("datacontenttype", "1")), "datacontenttype: must be a string, not a number" },
        { CloudEvent(("data", null)), "data: is required (an object with organizationId, userId and role)" },
        { CloudEvent(("data", "[]")), "data: must be a JSON object, not an array" },
        { CloudEvent(("data", "5")), "data: must be a JSON object, not a number" },
        { CloudEvent(("data", "null")), "data: must be a JSON object, not null" },
        { CloudEvent(("data", Q("x"))), "data: must be a JSON object, not a string" },
        { CloudEvent(("data", Data(("organizationId", null)))), "data.organizationId: is required" },
        { CloudEvent(("data", Data(("userId", Q("user_\u0430"))))), "data.userId: must be \"user_\" followed by 1-64 ASCII letters or digits, not \"user_\u0430\"" },
        { CloudEvent(("data", Data(("role", Q("admin"))))), $"data.role: {RoleRule}, not \"admin\" (did you mean \"org:admin\"?)" },
        { CloudEvent(("data", Data(("reason", Q(new string('r', 501)))))), "data.reason: 501 characters is longer than 500" },
        { CloudEvent(("data", Data(("reason", "{}")))), "data.reason: must be a string, not an object" },
    };

    [Theory]
    [MemberData(nameof(CloudEventViolations))]
    public void Each_cloudevent_rule_names_its_attribute(string body, string expectedError)
    {
        AssertErrors(ContractMessages.Parse(body), expectedError);
    }

    [Theory]
    [InlineData("null")]
    [InlineData("\"text\"")]
    public void CloudEvent_data_that_is_not_an_object_is_named(string data)
    {
        var result = ContractMessages.Parse(CloudEvent(("data", data)));

        var error = Assert.Single(result.Errors);
        Assert.StartsWith("data: must be a JSON object, not ", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("application/json; charset=utf-8")]
    [InlineData("APPLICATION/JSON")]
    [InlineData(" application/json ")]
    public void CloudEvent_datacontenttype_accepts_json_with_parameters_in_any_case(string contentType)
    {
        AssertValid(ContractMessages.Parse(CloudEvent(("datacontenttype", Q(contentType)))));
    }

    [Fact]
    public void Invalid_results_still_carry_the_event_id_for_logs()
    {
        Assert.Equal("evt-1", ContractMessages.Parse(Plain(("role", Q("admin")))).EventId);
        Assert.Equal("evt-1", ContractMessages.Parse(CloudEvent(("type", Q("other")))).EventId);
        Assert.Null(ContractMessages.Parse(Plain(("eventId", Q(new string('e', 129))), ("role", Q("admin")))).EventId);
        Assert.Null(ContractMessages.Parse("[]").EventId);
    }

    public static TheoryData<string, string> Duplicates => new()
    {
        { Plain()[..^1] + ",\"role\":\"org:admin\"}", "role: duplicate property name" },
        { Plain()[..^1] + ",\"r\\u006fle\":\"org:member\"}", "role: duplicate property name" },
        { Plain()[..^1] + ",\"eventId\":\"evt-2\"}", "eventId: duplicate property name" },
        { Plain()[..^1] + ",\"x\":1,\"x\":[]}", "x: duplicate property name" },
        { Plain()[..^1] + ",\"meta\":{\"a\":1,\"a\":2}}", "meta: duplicate property name \"a\" inside it" },
        { Plain()[..^1] + ",\"meta\":[1,{\"b\":{\"c\":1,\"c\":1}}]}", "meta: duplicate property name \"c\" inside it" },
        { CloudEvent()[..^2] + ",\"role\":\"org:admin\"}}", "data.role: duplicate property name" },
        { CloudEvent()[..^2] + ",\"extra\":1,\"extra\":2}}", "data.extra: duplicate property name" },
        { CloudEvent()[..^1] + ",\"id\":\"evt-1\"}", "id: duplicate property name" },
    };

    [Theory]
    [MemberData(nameof(Duplicates))]
    public void Duplicate_property_names_are_rejected_at_every_level(string body, string expectedError)
    {
        AssertErrors(ContractMessages.Parse(body), expectedError);
    }

    [Fact]
    public void Duplicate_data_is_rejected()
    {
        var result = ContractMessages.Parse(CloudEvent()[..^1] + ",\"data\":" + Data() + "}");

        Assert.False(result.IsValid);
        Assert.Contains("data: duplicate property name", result.Errors);
    }

    [Fact]
    public void The_same_name_in_different_objects_is_not_a_duplicate()
    {
        var body = Plain(("meta", "{\"a\":{\"x\":1},\"b\":{\"x\":1},\"c\":[{\"x\":1},{\"x\":1}]}"), ("data", "{\"role\":1}"));

        AssertValid(ContractMessages.Parse(body));
    }

    [Fact]
    public void A_leading_byte_order_mark_is_ignored()
    {
        byte[] body = [0xEF, 0xBB, 0xBF, .. Encoding.UTF8.GetBytes(Plain())];

        Assert.Equal("evt-1", AssertValid(Parse(body)).EventId);
    }

    [Fact]
    public void Only_one_byte_order_mark_is_ignored()
    {
        byte[] twice = [0xEF, 0xBB, 0xBF, 0xEF, 0xBB, 0xBF, .. Encoding.UTF8.GetBytes(Plain())];

        Assert.Equal("body", ContractCases.FieldOf(Assert.Single(Parse(twice).Errors)));
        AssertErrors(Parse([0xEF, 0xBB, 0xBF]), "body: is empty; expected a JSON object");
    }

    public static TheoryData<byte[]> InvalidUtf8 => new()
    {
        Utf8WithReason([0xFF]),                 // never valid in UTF-8
        Utf8WithReason([0xC0, 0xAF]),           // overlong "/"
        Utf8WithReason([0xED, 0xA0, 0x80]),     // an encoded surrogate
        Utf8WithReason([0xE2, 0x82]),           // a truncated sequence
        Utf8WithReason([0xF4, 0x90, 0x80, 0x80]), // beyond U+10FFFF
        Encoding.UTF8.GetBytes(Plain() + " \u00E9")[..^1], // a sequence cut off at the very end
    };

    [Theory]
    [MemberData(nameof(InvalidUtf8))]
    public void Invalid_utf8_is_rejected_as_such(byte[] body)
    {
        AssertErrors(Parse(body), "body: is not valid UTF-8");
    }

    [Theory]
    [InlineData("eventId", "\"evt\\ud800\"")]
    [InlineData("role", "\"org:\\udc00admin\"")]
    [InlineData("reason", "\"\\ude00\\ud83d\"")]
    public void Lone_surrogate_escapes_are_rejected(string name, string raw)
    {
        AssertErrors(ContractMessages.Parse(Plain((name, raw))), "body: contains a string escape that is not valid UTF-16 (a lone surrogate)");
    }

    [Fact]
    public void Lone_surrogate_escapes_in_property_names_are_rejected()
    {
        AssertErrors(ContractMessages.Parse(Plain()[..^1] + ",\"x\\ud800\":1}"), "body: contains a string escape that is not valid UTF-16 (a lone surrogate)");
    }

    [Fact]
    public void Unknown_string_values_are_not_decoded_so_their_escapes_do_not_matter()
    {
        AssertValid(ContractMessages.Parse(Plain(("note", "\"\\ud800\""))));
    }

    [Fact]
    public void A_surrogate_pair_escape_is_one_character()
    {
        Assert.Equal("evt-\U0001F600", AssertValid(ContractMessages.Parse(Plain(("eventId", "\"evt-\\ud83d\\ude00\"")))).EventId);
    }

    [Fact]
    public void Body_limit_is_64_KiB_inclusive_and_checked_before_parsing()
    {
        var json = Encoding.UTF8.GetBytes(Plain());
        byte[] Padded(int size) => [.. json, .. Enumerable.Repeat((byte)' ', size - json.Length)];

        AssertValid(Parse(Padded(65536)));
        AssertErrors(Parse(Padded(65537)), "body: 65537 bytes is larger than the limit of 65536 bytes (64 KiB)");
        AssertErrors(Parse(Enumerable.Repeat((byte)0xFF, 70_000).ToArray()), "body: 70000 bytes is larger than the limit of 65536 bytes (64 KiB)");
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("[]")]
    [InlineData("\"evt-1\"")]
    [InlineData("null")]
    [InlineData("42")]
    [InlineData("{")]
    [InlineData("{\"eventId\":")]
    [InlineData("{\"eventId\":\"evt-1\",}")]
    [InlineData("{'eventId':'evt-1'}")]
    [InlineData("{\"eventId\":NaN}")]
    [InlineData("{} {}")]
    [InlineData("{}x")]
    [InlineData("{}\0")]
    [InlineData("/* comment */ {}")]
    public void Bodies_that_are_not_one_json_object_name_the_body(string body)
    {
        var result = ContractMessages.Parse(body);

        Assert.Equal("body", ContractCases.FieldOf(Assert.Single(result.Errors)));
    }

    [Fact]
    public void Whitespace_around_the_object_is_allowed()
    {
        AssertValid(ContractMessages.Parse(" \r\n\t" + Plain() + "\n "));
    }

    [Fact]
    public void Nesting_is_limited_to_32_levels()
    {
        static string Nested(int levelsBelowTop) => Plain(("x", new string('[', levelsBelowTop) + new string(']', levelsBelowTop)));

        AssertValid(ContractMessages.Parse(Nested(31)));
        var error = Assert.Single(ContractMessages.Parse(Nested(32)).Errors);
        Assert.StartsWith("body: is not valid JSON (The maximum configured depth of 32 has been exceeded", error, StringComparison.Ordinal);
        Assert.Equal("body", ContractCases.FieldOf(Assert.Single(ContractMessages.Parse(Nested(10_000)).Errors)));
    }

    public static TheoryData<string, DateTimeOffset> ValidTimestamps => new()
    {
        { "2026-11-28T12:00:00Z", new(2026, 11, 28, 12, 0, 0, TimeSpan.Zero) },
        { "2026-11-28T13:30:00+01:30", new(2026, 11, 28, 13, 30, 0, new TimeSpan(1, 30, 0)) },
        { "2026-11-28T07:00:00-05:00", new(2026, 11, 28, 7, 0, 0, TimeSpan.FromHours(-5)) },
        { "2026-11-28T12:00:00-00:00", new(2026, 11, 28, 12, 0, 0, TimeSpan.Zero) },
        { "2026-11-29T02:00:00+14:00", new(2026, 11, 29, 2, 0, 0, TimeSpan.FromHours(14)) },
        { "2026-11-27T22:00:00-14:00", new(2026, 11, 27, 22, 0, 0, TimeSpan.FromHours(-14)) },
        { "2026-11-28t12:00:00z", new(2026, 11, 28, 12, 0, 0, TimeSpan.Zero) },
        { "2026-11-28T12:00:00.5Z", new DateTimeOffset(2026, 11, 28, 12, 0, 0, TimeSpan.Zero).AddTicks(5_000_000) },
        { "2026-11-28T12:00:00.1234567Z", new DateTimeOffset(2026, 11, 28, 12, 0, 0, TimeSpan.Zero).AddTicks(1_234_567) },
        { "2026-11-28T12:00:00.123456789Z", new DateTimeOffset(2026, 11, 28, 12, 0, 0, TimeSpan.Zero).AddTicks(1_234_567) },
        { "2024-02-29T00:00:00Z", new(2024, 2, 29, 0, 0, 0, TimeSpan.Zero) },
        { "2000-02-29T00:00:00Z", new(2000, 2, 29, 0, 0, 0, TimeSpan.Zero) },
        { "0001-01-01T00:00:00Z", DateTimeOffset.MinValue },
        { "2026-11-28T12:00:00.0000000000000000000000000000000000000000000Z", new(2026, 11, 28, 12, 0, 0, TimeSpan.Zero) }, // 64 characters
        { "1970-01-01T00:00:00-01:00", new(1970, 1, 1, 0, 0, 0, TimeSpan.FromHours(-1)) },
    };

    [Theory]
    [MemberData(nameof(ValidTimestamps))]
    public void Rfc3339_timestamps_keep_instant_and_offset(string text, DateTimeOffset expected)
    {
        var at = AssertValid(ContractMessages.Parse(Plain(("occurredAt", Q(text))))).OccurredAt;

        Assert.Equal(expected.UtcTicks, at.UtcTicks);
        Assert.Equal(expected.Offset, at.Offset);
    }

    public static TheoryData<string> MalformedTimestamps => new()
    {
        "2026-11-28T12:00:00",          // no offset
        "2026-11-28",                    // no time
        "2026-11-28 12:00:00Z",          // space for T
        "2026-11-28T12:00Z",             // no seconds
        "2016-12-31T23:59:60Z",          // leap second
        "2027-02-29T00:00:00Z",          // Feb 29, common year
        "1900-02-29T00:00:00Z",          // Feb 29, century not divisible by 400
        "2028-02-30T00:00:00Z",          // Feb 30
        "2026-04-31T00:00:00Z",          // Apr 31
        "2026-00-10T00:00:00Z",          // month 0
        "2026-13-10T00:00:00Z",          // month 13
        "2026-11-00T00:00:00Z",          // day 0
        "2026-11-28T24:00:00Z",          // hour 24
        "2026-11-28T12:60:00Z",          // minute 60
        "0000-01-01T00:00:00Z",          // year 0
        "0001-01-01T00:00:00+01:00",     // before 0001-01-01 in UTC
        "2026-11-28T12:00:00.Z",         // dot without digits
        "2026-11-28T12:00:00,5Z",        // comma fraction
        "2026-11-28T12:00:00+0100",      // offset without colon
        "2026-11-28T12:00:00+01",        // offset hours only
        "2026-11-28T12:00:00+14:01",     // offset beyond 14:00
        "2026-11-28T12:00:00+24:00",     // offset hour 24
        "2026-11-28T12:00:00ZZ",         // trailing characters
        "2026-11-28T12:00:00Z\n",        // trailing newline
        " 2026-11-28T12:00:00Z",         // leading space
        "+2026-11-28T12:00:00Z",         // signed year
        "26-11-28T12:00:00Z",            // two-digit year
        "２０２６-11-28T12:00:00Z",      // fullwidth digits
        "2026-11-28T12:00:00.00000000000000000000000000000000000000000000Z", // 65 characters
    };

    [Theory]
    [MemberData(nameof(MalformedTimestamps))]
    public void Malformed_timestamps_are_rejected(string text)
    {
        AssertErrors(ContractMessages.Parse(Plain(("occurredAt", Q(text)))), $"occurredAt: {TimeRule}, not \"{text.Replace("\n", "?", StringComparison.Ordinal)}\"");
    }

    [Theory]
    [InlineData("2026-11-28T12:05:00Z")]
    [InlineData("2026-11-28T13:05:00+01:00")]
    [InlineData("2026-11-28T12:05:00.00000009Z")] // beyond 100 ns precision: truncated to exactly now + 5 minutes
    public void Exactly_now_plus_5_minutes_is_accepted(string text)
    {
        AssertValid(ContractMessages.Parse(Plain(("occurredAt", Q(text)))));
    }

    [Theory]
    [InlineData("occurredAt", "2026-11-28T12:05:00.0000001Z")]
    [InlineData("occurredAt", "2026-11-28T07:05:00.0000001-05:00")]
    [InlineData("occurredAt", "9999-12-31T23:59:59Z")]
    public void One_tick_past_now_plus_5_minutes_is_rejected(string field, string text)
    {
        AssertErrors(ContractMessages.Parse(Plain((field, Q(text)))),
            $"{field}: {text} is more than 5 minutes in the future (now is 2026-11-28T12:00:00Z)");
    }

    [Fact]
    public void CloudEvent_time_in_the_future_names_time()
    {
        AssertErrors(ContractMessages.Parse(CloudEvent(("time", Q("2026-11-28T12:05:01Z")))),
            "time: 2026-11-28T12:05:01Z is more than 5 minutes in the future (now is 2026-11-28T12:00:00Z)");
    }

    [Fact]
    public void The_future_limit_follows_the_given_now()
    {
        var body = Encoding.UTF8.GetBytes(Plain(("occurredAt", Q("2026-11-28T12:10:00Z"))));

        Assert.False(RoleChangeParser.Parse(body, Now).IsValid);
        Assert.True(RoleChangeParser.Parse(body, Now.AddMinutes(5)).IsValid);
    }

    public static TheoryData<string, string, string, string, bool> Orderings => new()
    {
        // this time, this id, other time, other id, this is newer
        { "2026-11-28T12:00:01Z", "a", "2026-11-28T12:00:00Z", "z", true },
        { "2026-11-28T12:00:00Z", "z", "2026-11-28T12:00:01Z", "a", false },
        { "2026-11-28T12:00:00.0000001Z", "a", "2026-11-28T12:00:00Z", "b", true },
        { "2026-11-28T12:00:00Z", "evt-2", "2026-11-28T13:00:00+01:00", "evt-1", true },   // same instant: the event id decides
        { "2026-11-28T13:00:00+01:00", "evt-1", "2026-11-28T12:00:00Z", "evt-2", false },
        { "2026-11-28T12:00:00Z", "evt-10", "2026-11-28T12:00:00Z", "evt-9", false },    // ordinal, not numeric
        { "2026-11-28T12:00:00Z", "a", "2026-11-28T12:00:00Z", "B", true },              // ordinal: 'a' > 'B'
        { "2026-11-28T12:00:00Z", "evt-1", "2026-11-28T12:00:00Z", "evt-1", false },     // the same change is not newer than itself
    };

    [Theory]
    [MemberData(nameof(Orderings))]
    public void IsNewerThan_orders_by_instant_then_event_id(string time, string eventId, string otherTime, string otherEventId, bool newer)
    {
        var change = AssertValid(ContractMessages.Parse(Plain(("eventId", Q(eventId)), ("occurredAt", Q(time)))));
        var other = AssertValid(ContractMessages.Parse(Plain(("eventId", Q(otherEventId)), ("occurredAt", Q(otherTime)))));

        Assert.Equal(newer, change.IsNewerThan(other.OccurredAt, other.EventId));
    }

    private static byte[] Utf8WithReason(byte[] bytes)
    {
        var json = Encoding.UTF8.GetBytes(Plain(("reason", Q("MARK"))));
        var at = json.AsSpan().IndexOf("MARK"u8);
        return [.. json[..at], .. bytes, .. json[(at + 4)..]];
    }
}
