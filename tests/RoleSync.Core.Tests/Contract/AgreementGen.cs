using System.Collections.Immutable;
using static RoleSync.Core.Tests.Contract.ContractMessages;

namespace RoleSync.Core.Tests.Contract;

/// <summary>
/// Messages whose fields are usually valid and sometimes broken in ways JSON Schema can see, for comparing the schema with
/// the validator. They stay clear of what only the validator can judge: no duplicates, no future timestamps (years up to 2025),
/// no characters outside the Basic Multilingual Plane, no bodies near 64 KiB.
/// </summary>
internal static class AgreementGen
{
    private const string IdChars = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    private const string RoleKeyChars = "abcdefghijklmnopqrstuvwxyz0123456789_";

    /// <summary>Raw JSON values of the wrong type (or absent, as null).</summary>
    private static readonly Gen<string?> WrongType = Gen.OneOf<string?>("null", "1", "1.0", "true", "{}", "[]", "{\"a\":\"b\"}", null);

    /// <summary>A property left out.</summary>
    private static readonly Gen<string?> Absent = Gen.Const((string?)null);

    /// <summary>A message with every field valid, or one field (sometimes all) drawn from its loose generator.</summary>
    public static readonly Gen<string> Message = Gen.Frequency((2, PlainMessage()), (1, CloudEventMessage()));

    private static Gen<string> PlainMessage() => Combine(
        [
            ("eventId", Good(ContractGen.EventId), Field(EventIdText())),
            ("occurredAt", Good(ContractGen.Timestamp.Select(t => t.Text)), Field(Timestamp())),
            ("organizationId", Good(ContractGen.OrganizationId), Field(PrefixedId("org_"))),
            ("userId", Good(ContractGen.UserId), Field(PrefixedId("user_"))),
            ("role", Good(ContractGen.Role), Field(RoleText())),
            ("externalId", Absent, Optional(ExternalIdText())),
            ("emailAddress", Absent, Optional(EmailText())),
            ("action", Absent, ActionText()),
            ("source", GoodOptional(TextOfLength(0, 100)), Optional(TextOfLength(0, 102))),
            ("reason", GoodOptional(TextOfLength(0, 500)), Optional(TextOfLength(0, 502))),
            ("extra", Extra(), Extra()),
        ],
        properties => Plain(properties));

    private static Gen<string> CloudEventMessage() => Combine(
        [
            ("specversion", Gen.Const<string?>("\"1.0\""), SpecVersion()),
            ("type", Gen.Const<string?>("\"rolesync.role-change\""), CloudEventType()),
            ("id", Good(ContractGen.EventId), Field(EventIdText())),
            ("time", Good(ContractGen.Timestamp.Select(t => t.Text)), Field(Timestamp())),
            ("source", Good(TextOfLength(0, 100)), Field(TextOfLength(0, 102))),
            ("datacontenttype", ContentType(valid: true), ContentType(valid: false)),
            ("data", Data(loose: false), Gen.Frequency((4, Data(loose: true)), (1, Gen.OneOf<string?>(null, "null", "\"data\"", "[]")))),
            ("extra", Extra(), Extra()),
        ],
        properties => CloudEvent(properties));

    private static Gen<string?> Data(bool loose) => Combine(
        [
            ("organizationId", Good(ContractGen.OrganizationId), Field(PrefixedId("org_"))),
            ("userId", Good(ContractGen.UserId), Field(PrefixedId("user_"))),
            ("role", Good(ContractGen.Role), Field(RoleText())),
            ("externalId", Absent, Optional(ExternalIdText())),
            ("emailAddress", Absent, Optional(EmailText())),
            ("action", Absent, ActionText()),
            ("reason", GoodOptional(TextOfLength(0, 500)), Optional(TextOfLength(0, 502))),
            ("extra", Extra(), Extra()),
        ],
        properties => (string?)ContractMessages.Data(properties),
        loose);

    /// <summary>
    /// Builds an object from its properties' raw JSON values: all from the good generators, or one (or, sometimes, every)
    /// property from its loose one.
    /// </summary>
    private static Gen<T> Combine<T>((string Name, Gen<string?> Good, Gen<string?> Loose)[] properties, Func<(string, string?)[], T> build, bool loose = true)
    {
        var choice = loose ? Gen.Frequency((2, Gen.Const(-1)), (6, Gen.Int[0, properties.Length - 1]), (1, Gen.Const(properties.Length))) : Gen.Const(-1);
        return choice.SelectMany(looseIndex =>
        {
            var values = Gen.Const(ImmutableList<(string, string?)>.Empty);
            for (int i = 0; i < properties.Length; i++)
            {
                var (name, good, bad) = properties[i];
                var value = i == looseIndex || looseIndex == properties.Length ? bad : good;
                values = Gen.Select(values, value, (list, raw) => list.Add((name, raw)));
            }
            return values.Select(list => build([.. list]));
        });
    }

    private static Gen<string?> Good(Gen<string> text) => text.Select(s => (string?)Q(s));

    private static Gen<string?> GoodOptional(Gen<string> text) => Gen.Frequency((3, Good(text)), (1, Gen.OneOf<string?>(null, "null")));

    /// <summary>A required string field: usually the generated string, sometimes a wrong type or absent.</summary>
    private static Gen<string?> Field(Gen<string> text) => Gen.Frequency((12, Good(text)), (1, WrongType));

    /// <summary>An optional string field: often absent or null.</summary>
    private static Gen<string?> Optional(Gen<string> text) =>
        Gen.Frequency((6, Good(text)), (2, Gen.OneOf<string?>(null, "null")), (1, WrongType));

    /// <summary>externalId text: usually 1-255 characters, sometimes empty, too long or with a control character.</summary>
    private static Gen<string> ExternalIdText() =>
        Gen.Frequency((30, Gen.Char[' ', '~']), (1, Gen.Char["\u00E9\u2713\n\u0085"])).String(Gen.Frequency((10, Gen.Int[1, 255]), (1, Gen.OneOf(0, 256))));

    /// <summary>emailAddress text: usually an address, sometimes without or with two "@", or with a space.</summary>
    private static Gen<string> EmailText() =>
        Gen.Select(
            Gen.Frequency((20, Gen.Char['a', 'z']), (1, Gen.Char[" @.\u00E9\t"])).String(Gen.Int[0, 20]),
            Gen.Frequency((10, Gen.Const("@")), (1, Gen.OneOf("", "@@", " @"))),
            Gen.Frequency((20, Gen.Char['a', 'z']), (1, Gen.Char[" @.\u00E9\n"])).String(Gen.Int[0, 20]))
        .Select((local, at, domain) => local + at + domain);

    /// <summary>action: absent, null, either value or a wrong one; removals usually drop the role or the user id.</summary>
    private static Gen<string?> ActionText() =>
        Gen.OneOf<string?>(null, "null", "\"set-role\"", "\"remove\"", "\"Remove\"", "\"delete\"", "1");

    private static Gen<string?> Extra() => Gen.OneOf<string?>(null, null, "1", "\"x\"", "{\"a\":[1,{\"b\":null}]}", "[[[]]]");

    private static Gen<string?> SpecVersion() => Gen.Frequency((10, Gen.Const<string?>("\"1.0\"")), (1, Gen.OneOf<string?>("\"0.3\"", "\"1.0 \"", "1.0", "null")));

    private static Gen<string?> CloudEventType() =>
        Gen.Frequency((10, Gen.Const<string?>("\"rolesync.role-change\"")), (1, Gen.OneOf<string?>(null, "\"rolesync.role-changed\"", "\"RoleSync.Role-Change\"", "1")));

    private static Gen<string?> ContentType(bool valid) => valid
        ? Gen.OneOf<string?>(null, "null", "\"application/json\"", "\"Application/JSON; charset=utf-8\"", "\" application/json \"", "\"application/json;\"")
        : Gen.OneOf<string?>("\"application/json\"", "\"text/plain\"", "\"application/jsonx\"", "\"application/cloudevents+json\"", "\"json\"", "1", "[]");

    private static Gen<string> EventIdText() =>
        Gen.Frequency(
                (40, Gen.Char[' ', '~']),
                (2, Gen.Char["\u00E9\u20AC\u00A0\u2028"]),
                (1, Gen.Char["\u0000\u0007\t\n\u001F\u007F\u0085\u009F"]))
            .String(Gen.Frequency((10, Gen.Int[1, 128]), (1, Gen.OneOf(0, 129, 130))));

    private static Gen<string> TextOfLength(int min, int max) =>
        Gen.Frequency((20, Gen.Char['a', 'z']), (1, Gen.Char["\u00E9 \u2713\n"])).Array[min, max].Select(chars => new string(chars));

    /// <summary>"org_"/"user_" ids: usually valid; sometimes the wrong prefix, length or characters.</summary>
    private static Gen<string> PrefixedId(string prefix) =>
        Gen.Select(
            Gen.Frequency((12, Gen.Const(prefix)), (1, Gen.OneOf("", "org_", "user_", prefix.ToUpperInvariant(), "\u043E" + prefix[1..], prefix.TrimEnd('_')))),
            Gen.Frequency((30, Gen.Char[IdChars]), (1, Gen.Char["_-./%:\u0430\uFF11\u200D\n "])).String(Gen.Frequency((10, Gen.Int[1, 64]), (1, Gen.OneOf(0, 65, 66)))))
        .Select((p, suffix) => p + new string(suffix));

    private static Gen<string> RoleText() =>
        Gen.Select(
            Gen.Frequency((12, Gen.Const("org:")), (1, Gen.OneOf("", "ORG:", "org", "org;", "role:"))),
            Gen.Frequency((30, Gen.Char[RoleKeyChars]), (1, Gen.Char["A-:. \n\u0430"])).String(Gen.Frequency((10, Gen.Int[1, 64]), (1, Gen.OneOf(0, 65)))))
        .Select((p, key) => p + new string(key));

    /// <summary>RFC 3339-shaped text with each part usually in range and sometimes not; years 1000-2025 (and 0000) so never in the future.</summary>
    private static Gen<string> Timestamp() =>
        Gen.Select(
            Gen.Frequency((10, Gen.Int[1000, 2025]), (2, Gen.OneOf(1600, 1700, 1800, 1900, 2000, 2004, 2023, 2024)), (1, Gen.Const(0))),
            Number(1, 12, 0, 13),
            Gen.Frequency((8, Gen.Int[1, 28]), (4, Gen.Int[29, 31]), (1, Gen.OneOf(0, 32))),
            Gen.Frequency((20, Gen.OneOf("T")), (2, Gen.OneOf("t")), (1, Gen.OneOf(" ", "_", "TT"))),
            Number(0, 23, 24, 25),
            Number(0, 59, 60, 99),
            Number(0, 59, 60, 61),
            Gen.Frequency((8, Gen.Const("")), (6, Gen.Char['0', '9'].Array[1, 12].Select(d => "." + new string(d))), (1, Gen.OneOf(".", ",5", "." + new string('0', 50)))),
            Gen.Frequency(
                (6, Gen.OneOf("Z")),
                (1, Gen.OneOf("z")),
                (8, Gen.Select(Gen.OneOf("+", "-"), Number(0, 14, 15, 24), Gen.Frequency((6, Gen.OneOf(0, 30, 45)), (3, Gen.Int[0, 59]), (1, Gen.OneOf(60, 99))))
                    .Select((sign, hours, minutes) => $"{sign}{hours:D2}:{minutes:D2}")),
                (1, Gen.OneOf("", "+0100", "+01", "+1:00", " Z", "UTC", "Z\n"))),
            (year, month, day, separator, hour, minute, second, fraction, offset) => string.Create(CultureInfo.InvariantCulture, $"{year:D4}-{month:D2}-{day:D2}{separator}{hour:D2}:{minute:D2}:{second:D2}{fraction}{offset}"));

    /// <summary>A string of these characters with a generated length.</summary>
    private static Gen<string> String(this Gen<char> chars, Gen<int> length) =>
        length.SelectMany(n => chars.Array[n]).Select(a => new string(a));

    /// <summary>Usually in [min, max]; sometimes one of the out-of-range values.</summary>
    private static Gen<int> Number(int min, int max, params int[] outOfRange) => Gen.Frequency((10, Gen.Int[min, max]), (1, Gen.OneOf(outOfRange)));
}
