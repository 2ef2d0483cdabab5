using System.Text.Encodings.Web;
using System.Text.Json;

namespace RoleSync.Infra.Tests;

/// <summary>
/// Gives each test class the compiled template. The compilation itself (bicep build + bicep lint of
/// infra/main.bicep) runs once per test run, shared by all classes, which can still run in parallel.
/// </summary>
public sealed class InfraFixture : IAsyncLifetime
{
    private static readonly Lazy<Task<CompiledInfra>> Shared = new(() => CompiledInfra.CompileAsync(CancellationToken.None));

    public CompiledInfra Infra { get; private set; } = null!;

    public async Task InitializeAsync() => Infra = await Shared.Value;

    public Task DisposeAsync() => Task.CompletedTask;
}

/// <summary>The compiled ARM template of infra/main.bicep, its diagnostics, and lookups into it.</summary>
public sealed class CompiledInfra
{
    private CompiledInfra(JsonObject template, IReadOnlyList<string> buildDiagnostics, IReadOnlyList<string> lintDiagnostics)
    {
        Template = template;
        BuildDiagnostics = buildDiagnostics;
        LintDiagnostics = lintDiagnostics;
    }

    public static string InfraDirectory { get; } = Path.Combine(BicepCli.RepositoryRoot, "infra");

    public static string MainBicep { get; } = Path.Combine(InfraDirectory, "main.bicep");

    public JsonObject Template { get; }

    public IReadOnlyList<string> BuildDiagnostics { get; }

    public IReadOnlyList<string> LintDiagnostics { get; }

    public static async Task<CompiledInfra> CompileAsync(CancellationToken cancellationToken)
    {
        var outputDirectory = Directory.CreateTempSubdirectory("rolesync-infra-");
        AppDomain.CurrentDomain.ProcessExit += (_, _) => TryDelete(outputDirectory);
        var outFile = Path.Combine(outputDirectory.FullName, "main.json");

        var build = BicepCli.BuildAsync(MainBicep, outFile, cancellationToken);
        var lint = BicepCli.LintAsync(MainBicep, cancellationToken);
        var buildDiagnostics = await build;
        var lintDiagnostics = await lint;

        var template = JsonNode.Parse(await File.ReadAllTextAsync(outFile, cancellationToken))!.AsObject();
        return new CompiledInfra(template, buildDiagnostics, lintDiagnostics);
    }

    private static void TryDelete(DirectoryInfo directory)
    {
        try
        {
            directory.Delete(recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp folder is harmless.
        }
    }

    /// <summary>The nested deployment of the module deployed under <paramref name="deploymentName"/>.</summary>
    public Module Module(string deploymentName)
    {
        var deployment = Resources(Template).SingleOrDefault(r =>
            (string?)r["type"] == "Microsoft.Resources/deployments" && (string?)r["name"] == deploymentName);
        Assert.True(deployment is not null, $"main.bicep deploys no module named '{deploymentName}'.");
        return new Module(deploymentName, deployment!);
    }

    public IEnumerable<Module> Modules() =>
        Resources(Template)
            .Where(r => (string?)r["type"] == "Microsoft.Resources/deployments")
            .Select(r => new Module((string)r["name"]!, r));

    /// <summary>A top-level parameter of main.bicep.</summary>
    public JsonObject Parameter(string name)
    {
        var parameter = Template["parameters"]?[name]?.AsObject();
        Assert.True(parameter is not null, $"main.bicep has no parameter '{name}'.");
        return parameter!;
    }

    /// <summary>
    /// Follows a module parameter to the main.bicep parameter it is passed, e.g. the module's
    /// "[parameters('queueName')]" → main's "[parameters('queueName')]" → "queueName".
    /// </summary>
    public string MainParameterBehind(Module module, string moduleExpression)
    {
        var passed = module.ValuePassedFor(moduleExpression);
        var name = Expressions.ParameterName(passed);
        Assert.True(name is not null, $"Module '{module.Name}' gets {passed}, not a main.bicep parameter.");
        Parameter(name!);
        return name!;
    }

    /// <summary>The default value of the main.bicep parameter behind a module parameter.</summary>
    public JsonNode? DefaultBehind(Module module, string moduleExpression) =>
        Parameter(MainParameterBehind(module, moduleExpression))["defaultValue"];

    internal static IEnumerable<JsonObject> Resources(JsonObject template) =>
        template["resources"] switch
        {
            JsonArray array => array.Select(r => r!.AsObject()),
            JsonObject map => map.Select(p => p.Value!.AsObject()),
            _ => [],
        };
}

/// <summary>A module of main.bicep as compiled: a nested deployment with its own template.</summary>
public sealed class Module(string name, JsonObject deployment)
{
    public string Name { get; } = name;

    public JsonObject Deployment { get; } = deployment;

    public JsonObject Template => Deployment["properties"]!["template"]!.AsObject();

    public IEnumerable<JsonObject> Resources() => CompiledInfra.Resources(Template);

    public IEnumerable<JsonObject> Resources(string type) =>
        Resources().Where(r => string.Equals((string?)r["type"], type, StringComparison.OrdinalIgnoreCase));

    public JsonObject Single(string type)
    {
        var matches = Resources(type).ToList();
        Assert.True(matches.Count == 1, $"Module '{Name}' has {matches.Count} resources of type {type}, expected 1.");
        return matches[0];
    }

    /// <summary>
    /// The expression main.bicep passes for a module parameter, given how the module uses it
    /// ("[parameters('x')]"); fails if the module expression is not a plain parameter reference.
    /// </summary>
    public string ValuePassedFor(string moduleExpression)
    {
        var parameter = Expressions.ParameterName(moduleExpression);
        Assert.True(parameter is not null, $"In module '{Name}', {moduleExpression} is not a plain parameter reference.");
        var value = Deployment["properties"]?["parameters"]?[parameter!]?["value"];
        Assert.True(value is not null, $"main.bicep passes no value for parameter '{parameter}' of module '{Name}'.");
        return Expressions.Text(value)!;
    }

    public JsonNode? Output(string name) => Template["outputs"]?[name]?["value"];
}

internal static class Expressions
{
    private static readonly JsonSerializerOptions Unescaped = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>A JSON string as its text; any other node as compact JSON (quotes left unescaped).</summary>
    public static string? Text(JsonNode? node) =>
        node is JsonValue value && value.TryGetValue<string>(out var text) ? text : node?.ToJsonString(Unescaped);

    /// <summary>"x" for the expression "[parameters('x')]" (JSON-quoted or not), else null.</summary>
    public static string? ParameterName(string? expression)
    {
        const string prefix = "[parameters('";
        const string suffix = "')]";
        var text = expression;
        return text is not null && text.StartsWith(prefix, StringComparison.Ordinal) && text.EndsWith(suffix, StringComparison.Ordinal)
            ? text[prefix.Length..^suffix.Length]
            : null;
    }
}
