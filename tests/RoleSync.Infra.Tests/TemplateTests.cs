namespace RoleSync.Infra.Tests;

public sealed partial class TemplateTests(InfraFixture fixture) : IClassFixture<InfraFixture>
{
    private readonly CompiledInfra _infra = fixture.Infra;

    [Fact]
    public void Deploys_at_subscription_scope_into_a_new_resource_group()
    {
        Assert.Contains("subscriptionDeploymentTemplate.json", (string?)_infra.Template["$schema"], StringComparison.Ordinal);
        Assert.Single(CompiledInfra.Resources(_infra.Template), r => (string?)r["type"] == "Microsoft.Resources/resourceGroups");
    }

    [Fact]
    public void No_key_or_connection_string_is_read_anywhere()
    {
        // list*() reads keys and connection strings (listKeys, listConnectionStrings, listSecrets, …).
        var template = Expressions.Text(_infra.Template)!;

        Assert.DoesNotMatch(ListFunction(), template);
        Assert.DoesNotContain("AccountKey=", template, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("SharedAccessKey", template, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("DefaultEndpointsProtocol", template, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("InstrumentationKey", template, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_secure_value_is_a_secure_parameter()
    {
        // The only secret the template can carry is the optional Clerk key, in securestring parameters.
        var secure = _infra.Modules()
            .SelectMany(m => m.Template["parameters"]!.AsObject().Where(p => (string?)p.Value!["type"] == "securestring").Select(p => $"{m.Name}.{p.Key}"))
            .Concat(_infra.Template["parameters"]!.AsObject().Where(p => (string?)p.Value!["type"] == "securestring").Select(p => p.Key))
            .Order();

        Assert.Equal(["clerkSecretKey", "keyvault.secretValue"], secure);
    }

    [Theory]
    [InlineData("AZURE_FUNCTION_APP_NAME", "'function'), '2025-04-01').outputs.name.value]")]
    [InlineData("SERVICE_BUS_QUEUE_NAME", ".outputs.queueName.value]")]
    [InlineData("SERVICE_BUS_NAMESPACE", ".outputs.fullyQualifiedNamespace.value]")]
    [InlineData("KEY_VAULT_URI", ".outputs.uri.value]")]
    [InlineData("CONSOLE_SIGN_IN_URL", "'function'), '2025-04-01').outputs.consoleSignInUrl.value]")]
    [InlineData("AZURE_RESOURCE_GROUP", "[format('rg-{0}', parameters('environmentName'))]")]
    public void Outputs_what_a_user_needs_next(string output, string expectedFragment) =>
        Assert.Contains(expectedFragment, Expressions.Text(_infra.Template["outputs"]?[output]?["value"]) ?? "<missing>", StringComparison.Ordinal);

    [Fact]
    public void Outputs_the_replay_api_base_url()
    {
        var value = Expressions.Text(_infra.Template["outputs"]?["REPLAY_API_BASE_URL"]?["value"]);

        Assert.StartsWith("[format('https://{0}/api/', reference(", value, StringComparison.Ordinal);
        Assert.EndsWith(".outputs.defaultHostName.value)]", value, StringComparison.Ordinal);
        Assert.Equal("[reference(resourceId('Microsoft.Web/sites', parameters('name')), '2024-04-01').defaultHostName]",
            Expressions.Text(_infra.Module("function").Output("defaultHostName")));
    }

    [GeneratedRegex(@"(?<![A-Za-z])list[A-Za-z]*\(", RegexOptions.IgnoreCase)]
    private static partial Regex ListFunction();
}
