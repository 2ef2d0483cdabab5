namespace RoleSync.Core.Tests.Contract;

/// <summary>One example message from <c>examples/role-change-cases.json</c>.</summary>
/// <param name="SchemaCannotJudge">Why JSON Schema cannot see this case's violation; null when it can.</param>
public sealed record ContractCase(string Name, bool Valid, byte[] Body, IReadOnlyList<string> ExpectErrorFields, string? SchemaCannotJudge)
{
    public override string ToString() => Name;
}

/// <summary>Loads the example messages shared by the schema and the validator tests.</summary>
public static class ContractCases
{
    private static readonly string[] KnownKeys =
        ["name", "valid", "expectErrorFields", "schemaCannotJudge", "message", "messageText", "messageBase64", "padToBytes"];

    private static readonly (DateTimeOffset Now, IReadOnlyList<ContractCase> All) Loaded = Load();

    /// <summary>The time the examples were written against (the parser's <c>now</c>).</summary>
    public static DateTimeOffset Now => Loaded.Now;

    public static IReadOnlyList<ContractCase> All => Loaded.All;

    public static ContractCase Get(string name) => All.Single(c => c.Name == name);

    /// <summary>The part of a validator error before ": " — the field it names.</summary>
    public static string FieldOf(string error) => error[..error.IndexOf(": ", StringComparison.Ordinal)];

    private static (DateTimeOffset, IReadOnlyList<ContractCase>) Load()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "Contract", "examples", "role-change-cases.json");
        using var document = JsonDocument.Parse(File.ReadAllBytes(path));
        var root = document.RootElement;
        var now = DateTimeOffset.Parse(root.GetProperty("now").GetString()!, System.Globalization.CultureInfo.InvariantCulture);
        var cases = root.GetProperty("cases").EnumerateArray().Select(ReadCase).ToList();
        return (now, cases);
    }

    private static ContractCase ReadCase(JsonElement c)
    {
        var name = c.GetProperty("name").GetString()!;
        if (c.EnumerateObject().Select(p => p.Name).FirstOrDefault(key => !KnownKeys.Contains(key)) is { } unknown)
        {
            throw new InvalidDataException($"{name}: unknown key \"{unknown}\"");
        }
        byte[] body =
            c.TryGetProperty("message", out var message) ? Encoding.UTF8.GetBytes(message.GetRawText())
            : c.TryGetProperty("messageText", out var text) ? Encoding.UTF8.GetBytes(text.GetString()!)
            : c.TryGetProperty("messageBase64", out var base64) ? Convert.FromBase64String(base64.GetString()!)
            : throw new InvalidDataException($"{name}: no message, messageText or messageBase64");
        if (c.TryGetProperty("padToBytes", out var pad))
        {
            var padded = new byte[pad.GetInt32()];
            if (padded.Length < body.Length)
            {
                throw new InvalidDataException($"{name}: the body is already {body.Length} bytes");
            }
            body.CopyTo(padded, 0);
            padded.AsSpan(body.Length).Fill((byte)' ');
            body = padded;
        }
        var fields = c.TryGetProperty("expectErrorFields", out var f) ? f.EnumerateArray().Select(e => e.GetString()!).ToList() : [];
        var cannotJudge = c.TryGetProperty("schemaCannotJudge", out var why) ? why.GetString() : null;
        return new ContractCase(name, c.GetProperty("valid").GetBoolean(), body, fields, cannotJudge);
    }
}
