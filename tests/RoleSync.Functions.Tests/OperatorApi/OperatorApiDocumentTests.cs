using Microsoft.OpenApi;

namespace RoleSync.Functions.Tests.OperatorApi;

/// <summary>
/// docs/operator-api.openapi.json, read with Microsoft.OpenApi, describes exactly the HTTP functions of the app: the
/// same routes and methods as the generated functions.metadata, the same role as each method's
/// <see cref="RequiresRoleAttribute"/> (in <c>x-rolesync-role</c>), the operation id = the function name; with the
/// Entra bearer scheme and problem+json answers for 401 and 403. Failures list every difference, each way.
/// </summary>
public sealed class OperatorApiDocumentTests
{
    private const string RoleExtension = "x-rolesync-role";

    /// <summary>
    /// The one HTTP function the document leaves out, on purpose: the operator console's static files (a page for
    /// browsers, not an operation of the API; docs/console.md). It is removed from the metadata and attribute sides
    /// only after checking it is there exactly like this, so nothing else can hide behind the exclusion.
    /// </summary>
    private static readonly string Console = $"GET console/{{*path}} ({OperatorRoles.Reader}, {RoleSync.Functions.OperatorConsole.ConsoleFunction.Name})";

    private static SortedSet<string> WithoutConsole(SortedSet<string> lines, string source)
    {
        Assert.True(lines.Remove(Console), $"{source} has no \"{Console}\": update the console's exclusion in {nameof(OperatorApiDocumentTests)}.");
        return lines;
    }

    private static readonly Lazy<OpenApiDocument> Document = new(() =>
    {
        var result = OpenApiDocument.Parse(File.ReadAllText(TestPaths.InRepository("docs", "operator-api.openapi.json")), "json");
        Assert.True(result.Diagnostic is null || result.Diagnostic.Errors.Count == 0,
            "docs/operator-api.openapi.json does not read: " + string.Join("; ", result.Diagnostic?.Errors.Select(e => $"{e.Pointer}: {e.Message}") ?? []));
        return result.Document!;
    });

    /// <summary>"METHOD route (role, function)" lines.</summary>
    private static SortedSet<string> Lines(IEnumerable<(string Method, string Route, string? Role, string? Name)> operations) =>
        new(operations.Select(o => $"{o.Method.ToUpperInvariant()} {o.Route} ({o.Role ?? "no role"}, {o.Name ?? "no name"})"), StringComparer.Ordinal);

    private static SortedSet<string> FromDocument() => Lines(Document.Value.Paths.SelectMany(path => (path.Value.Operations ?? []).Select(op =>
        (op.Key.Method, path.Key.TrimStart('/'),
         op.Value.Extensions?.TryGetValue(RoleExtension, out var role) == true && role is JsonNodeExtension { Node: JsonValue value } ? value.GetValue<string>() : null,
         op.Value.OperationId))));

    private static SortedSet<string> FromMetadata() => WithoutConsole(AllFromMetadata(), "functions.metadata");

    private static SortedSet<string> AllFromMetadata()
    {
        var metadata = JsonNode.Parse(File.ReadAllText(Path.Combine(TestPaths.FunctionsOutputDirectory, "functions.metadata")))!.AsArray();
        return Lines(metadata.SelectMany(function =>
        {
            var trigger = function!["bindings"]!.AsArray().SingleOrDefault(b => b!["type"]!.GetValue<string>() == "httpTrigger");
            return trigger is null
                ? []
                : trigger["methods"]!.AsArray().Select(m => (m!.GetValue<string>(), trigger["route"]!.GetValue<string>(),
                    OperatorFunctions.RequiredRole(function["entryPoint"]!.GetValue<string>()), (string?)function["name"]!.GetValue<string>()));
        }));
    }

    private static SortedSet<string> FromAttributes() => WithoutConsole(AllFromAttributes(), "the [Function]/[RequiresRole] attributes");

    private static SortedSet<string> AllFromAttributes() => Lines(HttpFunctionRoleTests.HttpFunctions().SelectMany(method =>
    {
        var trigger = method.GetParameters().Select(p => p.GetCustomAttribute<HttpTriggerAttribute>()).Single(t => t is not null)!;
        return (trigger.Methods ?? []).Select(m => (m, trigger.Route ?? "", method.GetCustomAttribute<RequiresRoleAttribute>()?.Role, (string?)method.GetCustomAttribute<FunctionAttribute>()!.Name));
    }));

    private static void AssertSame(SortedSet<string> expected, string expectedName, SortedSet<string> actual, string actualName)
    {
        var missing = expected.Except(actual).ToList();
        var extra = actual.Except(expected).ToList();
        Assert.True(missing.Count == 0 && extra.Count == 0,
            $"In {expectedName} but not in {actualName}:\n  {string.Join("\n  ", missing)}\nIn {actualName} but not in {expectedName}:\n  {string.Join("\n  ", extra)}");
    }

    [Fact]
    public void The_document_is_OpenAPI_3_1()
    {
        Assert.StartsWith("3.1", JsonNode.Parse(File.ReadAllText(TestPaths.InRepository("docs", "operator-api.openapi.json")))!["openapi"]!.GetValue<string>());
        Assert.NotEmpty(Document.Value.Paths);
    }

    [Fact]
    public void The_console_is_the_one_function_the_document_leaves_out()
    {
        Assert.Equal([Console], AllFromMetadata().Except(FromDocument()));
        Assert.Equal([Console], AllFromAttributes().Except(FromDocument()));
        Assert.DoesNotContain(Document.Value.Paths.Keys, path => path.StartsWith("/console", StringComparison.Ordinal));
    }

    [Fact]
    public void The_document_has_every_operation_of_the_generated_metadata_and_no_other() =>
        AssertSame(FromMetadata(), "functions.metadata", FromDocument(), "docs/operator-api.openapi.json");

    [Fact]
    public void The_document_has_the_role_every_function_method_requires() =>
        AssertSame(FromAttributes(), "the [Function]/[RequiresRole] attributes", FromDocument(), "docs/operator-api.openapi.json");

    [Fact]
    public void Every_operation_needs_the_Entra_bearer_token_and_answers_401_and_403_as_problems()
    {
        var scheme = Assert.Single(Document.Value.Components!.SecuritySchemes!);
        Assert.Equal((SecuritySchemeType.Http, "bearer"), (scheme.Value.Type, scheme.Value.Scheme));
        var wrong = new List<string>();
        foreach (var (path, item) in Document.Value.Paths)
        {
            foreach (var (method, operation) in item.Operations ?? [])
            {
                var security = operation.Security ?? Document.Value.Security ?? [];
                if (!security.Any(requirement => requirement.Keys.Any(k => k.Reference.Id == scheme.Key)))
                {
                    wrong.Add($"{method} {path}: no {scheme.Key} security");
                }
                foreach (var status in new[] { "401", "403" })
                {
                    if (operation.Responses?.TryGetValue(status, out var response) != true || response!.Content?.ContainsKey("application/problem+json") != true)
                    {
                        wrong.Add($"{method} {path}: no {status} application/problem+json answer");
                    }
                }
            }
        }
        Assert.True(wrong.Count == 0, string.Join("\n", wrong));
    }
}
