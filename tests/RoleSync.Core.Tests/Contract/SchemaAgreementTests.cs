using Json.Schema;
using static RoleSync.Core.Tests.Contract.ContractMessages;

namespace RoleSync.Core.Tests.Contract;

/// <summary>
/// schemas/role-change.schema.json and <see cref="RoleChangeParser"/> are two statements of one contract: every example
/// (examples/role-change-cases.json) gets the expected verdict from both, and generated messages get the same verdict from both.
/// </summary>
public sealed class SchemaAgreementTests
{
    private static readonly JsonSchema Schema =
        JsonSchema.FromFile(Path.Combine(AppContext.BaseDirectory, "schemas", "role-change.schema.json"));

    /// <summary>The patterns alone must carry the rules; validators that also assert "format" must agree too.</summary>
    private static readonly EvaluationOptions[] Modes =
    [
        new() { RequireFormatValidation = false },
        new() { RequireFormatValidation = true },
    ];

    public static TheoryData<string> AllCases => [.. ContractCases.All.Select(c => c.Name)];

    public static TheoryData<string> SchemaCases => [.. ContractCases.All.Where(c => c.SchemaCannotJudge is null).Select(c => c.Name)];

    public static TheoryData<string> CSharpOnlyCases => [.. ContractCases.All.Where(c => c.SchemaCannotJudge is not null).Select(c => c.Name)];

    [Theory]
    [MemberData(nameof(AllCases))]
    public void Validator_gives_the_expected_verdict_and_names_the_expected_fields(string name)
    {
        var example = ContractCases.Get(name);

        var result = RoleChangeParser.Parse(example.Body, ContractCases.Now);

        Assert.True(example.Valid == result.IsValid, $"expected {(example.Valid ? "valid" : "invalid")}; errors: {string.Join(" | ", result.Errors)}");
        Assert.Equal(example.ExpectErrorFields.Order(StringComparer.Ordinal), result.Errors.Select(ContractCases.FieldOf).Distinct().Order(StringComparer.Ordinal));
    }

    [Theory]
    [MemberData(nameof(SchemaCases))]
    public void Schema_gives_the_expected_verdict(string name)
    {
        var example = ContractCases.Get(name);

        foreach (var mode in Modes)
        {
            Assert.True(example.Valid == SchemaVerdict(example.Body, mode), $"schema (format assertion {mode.RequireFormatValidation}) disagrees");
        }
    }

    /// <summary>A case is marked "schema cannot judge" only when the schema really gets it wrong (or it is not JSON at all).</summary>
    [Theory]
    [MemberData(nameof(CSharpOnlyCases))]
    public void Cases_marked_as_beyond_the_schema_are_beyond_it(string name)
    {
        var example = ContractCases.Get(name);

        foreach (var mode in Modes)
        {
            Assert.NotEqual(example.Valid, SchemaVerdict(example.Body, mode));
        }
    }

    [Fact]
    public void Examples_cover_both_forms_and_every_field()
    {
        var named = ContractCases.All.Where(c => !c.Valid).SelectMany(c => c.ExpectErrorFields).ToHashSet();

        Assert.Empty(ParseResultInvariants.Fields.Except(named));
        Assert.Contains(ContractCases.All, c => c.Valid && c.Name.StartsWith("plain:", StringComparison.Ordinal));
        Assert.Contains(ContractCases.All, c => c.Valid && c.Name.StartsWith("cloudevent:", StringComparison.Ordinal));
        Assert.Equal(ContractCases.All.Count, ContractCases.All.Select(c => c.Name).Distinct().Count());
        Assert.All(ContractCases.All.Where(c => c.Valid), c => Assert.Empty(c.ExpectErrorFields));
        Assert.All(ContractCases.All.Where(c => !c.Valid), c => Assert.NotEmpty(c.ExpectErrorFields));
    }

    [Fact]
    public void Schema_is_a_valid_draft_2020_12_schema_with_its_id()
    {
        using var schema = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "schemas", "role-change.schema.json")));

        var result = MetaSchemas.Draft202012.Evaluate(schema.RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List });

        Assert.True(result.IsValid, string.Join("; ", (result.Details ?? []).Where(d => d.Errors is not null).SelectMany(d => d.Errors!.Values)));
        Assert.Equal("https://json-schema.org/draft/2020-12/schema", schema.RootElement.GetProperty("$schema").GetString());
        Assert.Equal("https://rolesync.dev/schemas/1.1/role-change.schema.json", schema.RootElement.GetProperty("$id").GetString());
    }

    /// <summary>
    /// Loosely valid messages (each field usually valid, sometimes broken in a way both can see) get the same verdict
    /// from the schema and the validator.
    /// </summary>
    [Fact]
    public void Generated_messages_get_the_same_verdict_from_schema_and_validator()
    {
        AgreementGen.Message.Sample(body =>
        {
            var result = Parse(body);
            var bytes = System.Text.Encoding.UTF8.GetBytes(body);
            foreach (var mode in Modes)
            {
                var schemaValid = SchemaVerdict(bytes, mode);
                Assert.True(schemaValid == result.IsValid,
                    $"schema (format assertion {mode.RequireFormatValidation}) says {schemaValid}, validator says {result.IsValid}: {string.Join(" | ", result.Errors)}");
            }
        }, iter: 2000, print: body => body);
    }

    /// <summary>The schema's verdict, or null when the body is not something JSON Schema can evaluate (not JSON, invalid UTF-16 escapes).</summary>
    private static bool? SchemaVerdict(byte[] body, EvaluationOptions mode)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            return Schema.Evaluate(document.RootElement, mode).IsValid;
        }
        catch (ArgumentOutOfRangeException) when (mode.RequireFormatValidation)
        {
            // JsonSchema.Net 8.0.5's "date-time" format throws for the year 0000 instead of failing; the pattern rejects it anyway.
            return false;
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            return null;
        }
    }
}
