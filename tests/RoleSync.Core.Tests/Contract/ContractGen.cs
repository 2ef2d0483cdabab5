using static RoleSync.Core.Tests.Contract.ContractMessages;

namespace RoleSync.Core.Tests.Contract;

/// <summary>A generated body and the change a correct parser must read from it.</summary>
internal sealed record ValidMessage(string Body, RoleChange Expected)
{
    public override string ToString() => Body;
}

/// <summary>CsCheck generators for role-change messages: valid ones, hostile values and loosely valid mixtures.</summary>
internal static class ContractGen
{
    private const string Letters = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
    private const string Digits = "0123456789";
    private const string RoleKeyChars = "abcdefghijklmnopqrstuvwxyz0123456789_";

    /// <summary>Characters that must never get through an id or role check: traversal, encoding, whitespace, look-alikes.</summary>
    public static readonly string[] HostileFragments =
    [
        "../", "..", "/", "\\", "%2e%2e", "%2E%2E", "%2F", "%2f", "%5C", "%00", "?", "#", "&", "=", ";", " ", "\n", "\t", "\0",
        ":", "_", "-", ".", "+", "@",
        "\u043E", // Cyrillic o
        "\u0430", // Cyrillic a
        "\uFF11", // fullwidth digit one
        "\uFF41", // fullwidth a
        "\u0660", // Arabic-Indic digit zero
        "\u200D", // zero-width joiner
        "\u200B", // zero-width space
        "\uFEFF", // zero-width no-break space
        "\u212A", // Kelvin sign (looks like K)
        "\u0131", // dotless i
        "\u0130", // capital I with dot
        "\u00E9", // é
        "e\u0301", // e + combining acute
        "\U0001D7CE", // mathematical bold digit zero
    ];

    public static readonly Gen<string> OrganizationId = Id("org_");
    public static readonly Gen<string> UserId = Id("user_");
    public static readonly Gen<string> Role = Gen.Char[RoleKeyChars].Array[1, 64].Select(key => "org:" + new string(key));

    /// <summary>1-128 printable characters, some non-ASCII.</summary>
    public static readonly Gen<string> EventId =
        Gen.Frequency((20, Gen.Char[' ', '~']), (1, Gen.Char["\u00E9\u00FC\u20AC\u2713\u6F22"]))
            .Array[1, 128].Select(chars => new string(chars));

    public static readonly Gen<string?> Source = Text(0, 100).Null(0.3);
    public static readonly Gen<string?> Reason = Text(0, 500).Null(0.3);

    /// <summary>A timestamp between the year 1000 and now, as RFC 3339 text in any legal spelling, and the instant it denotes.</summary>
    public static readonly Gen<(string Text, DateTimeOffset Value)> Timestamp =
        Gen.Select(
            Gen.Long[new DateTimeOffset(1000, 1, 1, 0, 0, 0, TimeSpan.Zero).UtcTicks / TimeSpan.TicksPerSecond, Now.UtcTicks / TimeSpan.TicksPerSecond],
            Gen.Int[0, 9_999_999],
            Gen.Int[0, 9],
            Gen.Int[-14 * 60, 14 * 60],
            Gen.Bool,
            Gen.Bool)
        .Select((seconds, ticks, fractionDigits, offsetMinutes, zulu, lowercase) =>
        {
            var fraction = ticks.ToString("D7", CultureInfo.InvariantCulture);
            fraction = fractionDigits <= 7 ? fraction[..fractionDigits] : fraction + new string('9', fractionDigits - 7);
            var keptTicks = fractionDigits == 0 ? 0 : int.Parse(fraction[..Math.Min(7, fractionDigits)].PadRight(7, '0'), CultureInfo.InvariantCulture);
            var offset = zulu ? TimeSpan.Zero : TimeSpan.FromMinutes(offsetMinutes);
            var value = new DateTimeOffset(seconds * TimeSpan.TicksPerSecond + keptTicks, TimeSpan.Zero).ToOffset(offset);
            var text = value.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture)
                + (fractionDigits == 0 ? "" : "." + fraction)
                + (zulu ? "Z" : value.ToString("zzz", CultureInfo.InvariantCulture));
            return (lowercase ? text.ToLowerInvariant() : text, value);
        });

    /// <summary>A 1.1 user identifier: which property (userId, externalId or emailAddress) and its value.</summary>
    public static readonly Gen<(string Name, string Value)> Identifier =
        Gen.Frequency(
            (3, UserId.Select(v => ("userId", v))),
            (1, Text(1, 255).Where(t => t.Length > 0).Select(v => ("externalId", v))),
            (1, Gen.Select(Gen.Char["abcdefghijklmnopqrstuvwxyz0123456789.+_-\u00E9"].Array[1, 40], Gen.Char["abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-"].Array[1, 40])
                .Select((local, domain) => ("emailAddress", new string(local) + "@" + new string(domain)))));

    /// <summary>The action as written (null: absent) and the role, which a removal leaves out.</summary>
    public static readonly Gen<(string? Action, string? Role)> ActionAndRole =
        Gen.Frequency(
            (4, Role.Select(r => ((string?)null, (string?)r))),
            (1, Role.Select(r => ((string?)"set-role", (string?)r))),
            (2, Gen.Const(((string?)"remove", (string?)null))));

    /// <summary>A valid message, plain or CloudEvent, and the change it carries.</summary>
    public static readonly Gen<ValidMessage> Valid =
        Gen.Select(EventId, Timestamp, OrganizationId, Identifier, ActionAndRole, Source, Reason, Gen.Bool)
        .Select((eventId, time, org, user, act, source, reason, cloudEvent) =>
        {
            var (action, role) = act;
            (string, string?)[] subject =
            [
                ("userId", user.Name == "userId" ? Q(user.Value) : null),
                ("externalId", user.Name == "externalId" ? Q(user.Value) : null),
                ("emailAddress", user.Name == "emailAddress" ? Q(user.Value) : null),
                ("role", role is null ? null : Q(role)),
                ("action", action is null ? null : Q(action)),
            ];
            RoleChange Expected(string? src) => new(eventId, time.Value, org, user.Name == "userId" ? user.Value : "", role ?? "", src, reason)
            {
                Action = action == "remove" ? RoleChangeAction.Remove : RoleChangeAction.SetRole,
                ExternalId = user.Name == "externalId" ? user.Value : null,
                EmailAddress = user.Name == "emailAddress" ? user.Value : null,
            };
            if (!cloudEvent)
            {
                var plain = Plain([("eventId", Q(eventId)), ("occurredAt", Q(time.Text)), ("organizationId", Q(org)), .. subject,
                    ("source", source is null ? null : Q(source)), ("reason", reason is null ? null : Q(reason))]);
                return new ValidMessage(plain, Expected(source));
            }
            source ??= "workday";
            var data = Data([("organizationId", Q(org)), .. subject, ("reason", reason is null ? null : Q(reason))]);
            var ce = CloudEvent(("id", Q(eventId)), ("time", Q(time.Text)), ("source", Q(source)), ("data", data));
            return new ValidMessage(ce, Expected(source));
        });

    /// <summary>An id or role that must be rejected: a hostile fragment inserted, a look-alike prefix, or a wrong length.</summary>
    public static Gen<string> Hostile(string prefix, string[] lookAlikePrefixes, string suffixChars) =>
        Gen.OneOf(
            Gen.Select(Gen.Char[suffixChars].Array[0, 63], Gen.OneOf(HostileFragments), Gen.Int[0, 63])
                .Select((suffix, fragment, at) => prefix + new string(suffix).Insert(Math.Min(at, suffix.Length), fragment)),
            Gen.Select(Gen.OneOf(lookAlikePrefixes), Gen.Char[suffixChars].Array[1, 64])
                .Select((lookAlike, suffix) => lookAlike + new string(suffix)),
            Gen.Char[suffixChars].Array[65, 80].Select(suffix => prefix + new string(suffix)),
            Gen.Const(prefix));

    public static readonly Gen<string> HostileOrganizationId =
        Hostile("org_", ["\u043Erg_", "org\uFF3F", "org-", "Org_", "ORG_", "org", "user_", "org_/", "/org_"], Letters + Digits);

    public static readonly Gen<string> HostileUserId =
        Hostile("user_", ["u\u0455er_", "user\uFF3F", "user-", "User_", "usr_", "user", "org_", "user_/", "./user_"], Letters + Digits);

    /// <summary>A role that must be rejected ("_" is a legal key character, so an inserted "_" alone is filtered out).</summary>
    public static readonly Gen<string> HostileRole =
        Gen.OneOf(
            Hostile("org:", ["\u043Erg:", "org\uFF1A", "org;", "ORG:", "Org:", "org", "", "org::", "role:"], RoleKeyChars),
            Gen.Select(Gen.Char[RoleKeyChars].Array[1, 64], Gen.Int[0, 63], Gen.Char['A', 'Z'])
                .Select((key, at, upper) => "org:" + new string(key).Insert(Math.Min(at, key.Length), upper.ToString())))
        .Where(role => !ParseResultInvariants.Role().IsMatch(role));

    private static Gen<string> Id(string prefix) =>
        Gen.Char[Letters + Digits].Array[1, 64].Select(suffix => prefix + new string(suffix));

    private static Gen<string> Text(int min, int max) =>
        Gen.Frequency((30, Gen.Char[' ', '~']), (1, Gen.Char["\u00E9\u00FC\u20AC\u2713\u6F22"]))
            .Array[min, max].Select(chars => new string(chars));
}
