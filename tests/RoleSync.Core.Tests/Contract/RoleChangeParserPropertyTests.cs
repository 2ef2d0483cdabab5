using static RoleSync.Core.Tests.Contract.ContractMessages;

namespace RoleSync.Core.Tests.Contract;

/// <summary>
/// Bad input, tried hard: whatever the bytes, the parser returns (never throws) either a change that satisfies every rule
/// or named violations. On failure CsCheck prints the seed and the shrunk input.
/// </summary>
public sealed class RoleChangeParserPropertyTests
{
    private static RoleChangeParseResult ParseChecked(byte[] body)
    {
        var result = RoleChangeParser.Parse(body, Now);
        ParseResultInvariants.Check(result, Now);
        return result;
    }

    private static string Hex(byte[] bytes) => Convert.ToHexString(bytes);

    [Fact]
    public void Random_bytes()
    {
        Gen.Byte.Array[0, 400].Sample(body => ParseChecked(body), iter: 20_000, print: Hex);
    }

    [Fact]
    public void Random_json_like_text()
    {
        Gen.Frequency(
                (10, Gen.Char["{}[]\":,.-+0123456789eEtrufalsn \\/"]),
                (4, Gen.Char["eventIdoccurredAtorganizationIdusersourcreasonspecversiontypetimedata_:"]),
                (1, Gen.Char["\u00E9\u0000\n\uD800\uDC00\uFEFF"]))
            .Array[0, 300]
            .Sample(chars => ParseChecked(Encoding.UTF8.GetBytes(chars)), iter: 20_000, print: chars => new string(chars));
    }

    [Fact]
    public void Valid_messages_round_trip()
    {
        ContractGen.Valid.Sample(message =>
        {
            var change = ParseChecked(Encoding.UTF8.GetBytes(message.Body)).Change;

            Assert.Equal(message.Expected, change);
            Assert.Equal(message.Expected.OccurredAt.Offset, change!.OccurredAt.Offset);
        }, iter: 2_000);
    }

    [Fact]
    public void Every_truncation_of_a_valid_message_is_invalid()
    {
        ContractGen.Valid.Sample(message =>
        {
            var body = Encoding.UTF8.GetBytes(message.Body);
            for (int length = 0; length < body.Length; length++)
            {
                Assert.False(ParseChecked(body[..length]).IsValid, $"valid when cut to {length} bytes");
            }
        }, iter: 50);
    }

    [Fact]
    public void Single_byte_mutations_of_valid_messages()
    {
        Gen.Select(ContractGen.Valid, Gen.Int[0, int.MaxValue], Gen.Byte, Gen.Int[0, 2])
            .Sample((message, position, value, kind) =>
            {
                var body = Encoding.UTF8.GetBytes(message.Body);
                var at = position % body.Length;
                byte[] mutated = kind switch
                {
                    0 => [.. body[..at], value, .. body[(at + 1)..]], // replace
                    1 => [.. body[..at], value, .. body[at..]],       // insert
                    _ => [.. body[..at], .. body[(at + 1)..]],        // delete
                };
                ParseChecked(mutated);
            }, iter: 10_000);
    }

    [Fact]
    public void Deep_nesting_is_rejected_without_throwing()
    {
        Gen.Select(Gen.Frequency((1, Gen.Int[1, 40]), (1, Gen.Int[1, 10_000])), Gen.Int[0, 2], Gen.Bool, Gen.Bool)
            .Sample((depth, place, arrays, closed) =>
            {
                var open = arrays ? new string('[', depth) : string.Concat(Enumerable.Repeat("{\"a\":", depth)) + "1";
                var nested = open + (closed ? (arrays ? new string(']', depth) : new string('}', depth)) : "");
                var body = place switch
                {
                    0 => nested,                                      // the whole body
                    1 => Plain(("x", nested)),                        // an unknown property: one level below the top
                    _ => CloudEvent(("data", Data(("x", nested)))),   // inside data: two levels below the top
                };

                var result = ParseChecked(Encoding.UTF8.GetBytes(body));

                var withinLimit = closed && depth + place <= 32;
                if (withinLimit && place > 0)
                {
                    Assert.True(result.IsValid, string.Join(" | ", result.Errors));
                }
                else if (withinLimit && !arrays)
                {
                    Assert.Equal(["eventId", "occurredAt", "organizationId", "userId", "role"], result.Errors.Select(ContractCases.FieldOf));
                }
                else
                {
                    Assert.Equal("body", ContractCases.FieldOf(Assert.Single(result.Errors)));
                }
            }, iter: 400);
    }

    [Fact]
    public void Huge_strings_are_judged_by_their_length()
    {
        (string Field, int Limit, Func<string, string> Build)[] targets =
        [
            ("eventId", 128, s => Plain(("eventId", s))),
            ("source", 100, s => Plain(("source", s))),
            ("reason", 500, s => Plain(("reason", s))),
            ("data.reason", 500, s => CloudEvent(("data", Data(("reason", s))))),
            ("id", 128, s => CloudEvent(("id", s))),
            ("unknown", int.MaxValue, s => Plain(("note", s))),
        ];
        Gen.Select(Gen.Int[0, targets.Length - 1], Gen.Frequency((1, Gen.Int[0, 600]), (1, Gen.Int[0, 66_000])), Gen.Char['a', 'z'])
            .Sample((target, length, c) =>
            {
                var (field, limit, build) = targets[target];
                var body = Encoding.UTF8.GetBytes(build(Q(new string(c, length))));
                var result = ParseChecked(body);
                if (body.Length > RoleChangeParser.MaxBodyBytes)
                {
                    Assert.Equal($"body: {body.Length} bytes is larger than the limit of 65536 bytes (64 KiB)", Assert.Single(result.Errors));
                }
                else if (length is 0 && field is "eventId" or "id" || length > limit)
                {
                    Assert.Equal(field, ContractCases.FieldOf(Assert.Single(result.Errors)));
                }
                else
                {
                    Assert.True(result.IsValid, string.Join(" | ", result.Errors));
                }
            }, iter: 300);
    }

    [Fact]
    public void Hostile_ids_and_roles_are_rejected_and_named()
    {
        (string Field, Gen<string> Value, Func<string, string> Build)[] targets =
        [
            ("organizationId", ContractGen.HostileOrganizationId, v => Plain(("organizationId", v))),
            ("userId", ContractGen.HostileUserId, v => Plain(("userId", v))),
            ("role", ContractGen.HostileRole, v => Plain(("role", v))),
            ("data.organizationId", ContractGen.HostileOrganizationId, v => CloudEvent(("data", Data(("organizationId", v))))),
            ("data.userId", ContractGen.HostileUserId, v => CloudEvent(("data", Data(("userId", v))))),
            ("data.role", ContractGen.HostileRole, v => CloudEvent(("data", Data(("role", v))))),
        ];
        Gen.Int[0, targets.Length - 1]
            .SelectMany(i => targets[i].Value.Select(value => (Target: i, Value: value)))
            .Sample(t =>
            {
                var (field, _, build) = targets[t.Target];
                var result = ParseChecked(Encoding.UTF8.GetBytes(build(Q(t.Value))));

                Assert.Equal(field, ContractCases.FieldOf(Assert.Single(result.Errors)));
            }, iter: 20_000, print: t => $"{targets[t.Target].Field} = {Q(t.Value)}");
    }

    [Fact]
    public void IsNewerThan_is_a_strict_total_order()
    {
        var time = Gen.OneOf(Now, Now.AddTicks(1), Now.AddTicks(-1), Now.ToOffset(TimeSpan.FromHours(3)), Now.AddHours(-1));
        var id = Gen.OneOf("a", "b", "B", "evt-1", "evt-10", "evt-9", "\u00E9");
        var change = Gen.Select(time, id, (at, eventId) => new RoleChange(eventId, at, OrgId, UserId, "org:admin", null, null));
        Gen.Select(change, change, change).Sample((x, y, z) =>
        {
            bool Newer(RoleChange a, RoleChange b) => a.IsNewerThan(b.OccurredAt, b.EventId);
            var same = x.OccurredAt.UtcTicks == y.OccurredAt.UtcTicks && x.EventId == y.EventId;

            Assert.Equal(same ? 0 : 1, (Newer(x, y) ? 1 : 0) + (Newer(y, x) ? 1 : 0)); // exactly one of two distinct changes is newer
            Assert.True(!(Newer(x, y) && Newer(y, z)) || Newer(x, z), "not transitive");
        }, iter: 5_000);
    }
}
