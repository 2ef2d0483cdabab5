namespace RoleSync.Infra.Tests;

/// <summary>What azd reads: azure.yaml at the root and infra/main.parameters.json.</summary>
public sealed partial class AzdTests(InfraFixture fixture) : IClassFixture<InfraFixture>
{
    private readonly CompiledInfra _infra = fixture.Infra;

    private static JsonObject ParameterFileValues =>
        JsonNode.Parse(File.ReadAllText(Path.Combine(CompiledInfra.InfraDirectory, "main.parameters.json")))!["parameters"]!.AsObject();

    private JsonObject TemplateParameters => _infra.Template["parameters"]!.AsObject();

    [Fact]
    public void Parameters_file_names_only_parameters_of_the_template() =>
        Assert.All(ParameterFileValues, p => Assert.True(TemplateParameters.ContainsKey(p.Key), $"main.bicep has no parameter '{p.Key}'."));

    [Fact]
    public void Parameters_file_gives_every_required_parameter()
    {
        var required = TemplateParameters.Where(p => p.Value!["defaultValue"] is null).Select(p => p.Key).ToList();

        Assert.NotEmpty(required);
        Assert.All(required, name => Assert.True(ParameterFileValues.ContainsKey(name), $"main.parameters.json misses '{name}'."));
    }

    [Theory]
    [InlineData("environmentName", "AZURE_ENV_NAME")]
    [InlineData("location", "AZURE_LOCATION")]
    [InlineData("principalId", "AZURE_PRINCIPAL_ID")]
    public void Parameters_come_from_the_variables_azd_sets(string parameter, string variable) =>
        Assert.Equal($"${{{variable}}}", (string?)ParameterFileValues[parameter]?["value"]);

    [Fact]
    public void Every_value_is_a_substitution_of_a_string_parameter()
    {
        // azd substitutes ${NAME} / ${NAME=default} with text, so only string parameters can take them.
        Assert.All(ParameterFileValues, p =>
        {
            Assert.Matches(Substitution(), (string?)p.Value!["value"]);
            Assert.Equal("string", (string?)TemplateParameters[p.Key]!["type"]);
        });
    }

    [Fact]
    public void Substituted_values_are_accepted_by_the_template()
    {
        // As azd would substitute them in a fresh environment: only its own variables set.
        var environment = new Dictionary<string, string> { ["AZURE_ENV_NAME"] = "dev", ["AZURE_LOCATION"] = "eastus2" };

        foreach (var (name, node) in ParameterFileValues)
        {
            var match = Substitution().Match((string)node!["value"]!);
            var value = environment.GetValueOrDefault(match.Groups["name"].Value)
                ?? (match.Groups["default"].Success ? match.Groups["default"].Value : "");
            var parameter = TemplateParameters[name]!;

            if (parameter["allowedValues"] is JsonArray allowed)
            {
                Assert.Contains(value, allowed.Select(v => (string?)v));
            }

            Assert.InRange(value.Length, (int?)parameter["minLength"] ?? 0, (int?)parameter["maxLength"] ?? int.MaxValue);
        }
    }

    [Fact]
    public void Parameters_file_carries_no_secret() =>
        Assert.All(ParameterFileValues, p => Assert.NotEqual("securestring", (string?)TemplateParameters[p.Key]!["type"]));

    [Fact]
    public void Azure_yaml_provisions_infra_main()
    {
        var root = AzureYaml();

        Assert.Matches(@"(?m)^infra:\s*\n\s+provider: bicep\s*\n\s+path: infra\s*\n\s+module: main\s*$", root);
        Assert.True(File.Exists(Path.Combine(CompiledInfra.InfraDirectory, "main.bicep")));
    }

    [Fact]
    public void Azure_yaml_deploys_the_functions_project_to_the_tagged_app()
    {
        var service = ServiceBlock().Match(AzureYaml());
        Assert.True(service.Success, "azure.yaml has no 'rolesync' service.");
        var settings = service.Groups["body"].Value.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split(':', 2))
            .ToDictionary(kv => kv[0].Trim(), kv => kv[1].Trim());

        Assert.Equal("./src/RoleSync.Functions", settings["project"]);
        Assert.Equal("dotnet", settings["language"]);
        Assert.Equal("function", settings["host"]);
        Assert.Contains($"createObject('azd-service-name', '{service.Groups["name"].Value}')",
            _infra.Module("function").ValuePassedFor("[parameters('appTags')]"), StringComparison.Ordinal);
    }

    private static string AzureYaml() =>
        File.ReadAllText(Path.Combine(BicepCli.RepositoryRoot, "azure.yaml")).ReplaceLineEndings("\n");

    [GeneratedRegex(@"^\$\{(?<name>[A-Z][A-Z0-9_]*)(=(?<default>[^}]*))?\}$")]
    private static partial Regex Substitution();

    [GeneratedRegex(@"(?m)^services:\s*\n  (?<name>rolesync):\s*\n(?<body>(    \S.*\n?)+)")]
    private static partial Regex ServiceBlock();
}
