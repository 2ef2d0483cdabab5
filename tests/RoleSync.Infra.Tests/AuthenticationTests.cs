namespace RoleSync.Infra.Tests;

/// <summary>App Service Authentication (Easy Auth) with Entra ID in front of the function app: what the operator API's fail-closed check relies on.</summary>
public sealed class AuthenticationTests(InfraFixture fixture) : IClassFixture<InfraFixture>
{
    private readonly CompiledInfra _infra = fixture.Infra;
    private readonly Module _function = fixture.Infra.Module("function");

    private JsonObject AuthSettings
    {
        get
        {
            var config = _function.Resources("Microsoft.Web/sites/config").Where(r => ((string?)r["name"])?.Contains("'authsettingsV2'", StringComparison.Ordinal) == true).ToList();
            Assert.True(config.Count == 1, $"function.bicep has {config.Count} authsettingsV2 resources, expected 1.");
            return config[0]["properties"]!.AsObject();
        }
    }

    [Fact]
    public void Authentication_is_required_for_the_whole_app_and_API_callers_get_401()
    {
        var settings = AuthSettings;

        Assert.True((bool?)settings["platform"]!["enabled"]);
        Assert.True((bool?)settings["globalValidation"]!["requireAuthentication"]);
        Assert.Equal("Return401", (string?)settings["globalValidation"]!["unauthenticatedClientAction"]);
        Assert.Null(settings["globalValidation"]!["excludedPaths"]);
        Assert.True((bool?)settings["httpSettings"]!["requireHttps"]);
    }

    [Fact]
    public void The_console_signs_in_through_Easy_Auth_s_login_endpoint_and_no_path_skips_authentication()
    {
        // One unauthenticatedClientAction serves the whole app: Return401 for the API, so the console cannot be a
        // redirect; it is entered through /.auth/login/aad and comes back to /console (see function.bicep).
        var settings = AuthSettings;

        Assert.Equal("Return401", (string?)settings["globalValidation"]!["unauthenticatedClientAction"]);
        Assert.Null(settings["globalValidation"]!["excludedPaths"]);
        Assert.Null(settings["globalValidation"]!["redirectToProvider"]);
        Assert.Equal("[format('https://{0}/.auth/login/aad?post_login_redirect_uri=/console', reference(resourceId('Microsoft.Web/sites', parameters('name')), '2024-04-01').defaultHostName)]",
            Expressions.Text(_function.Output("consoleSignInUrl")));
    }

    [Fact]
    public void The_Entra_provider_uses_the_operator_app_registration_and_tenant_from_parameters()
    {
        var aad = AuthSettings["identityProviders"]!["azureActiveDirectory"]!;

        Assert.Equal("[not(empty(parameters('operatorAppClientId')))]", (string?)aad["enabled"]);
        Assert.Equal("operatorAppClientId", _infra.MainParameterBehind(_function, (string)aad["registration"]!["clientId"]!));
        var issuer = (string)aad["registration"]!["openIdIssuer"]!;
        Assert.Equal("[format('{0}{1}/v2.0', environment().authentication.loginEndpoint, parameters('operatorTenantId'))]", issuer);
        Assert.Equal("operatorTenantId", _infra.MainParameterBehind(_function, "[parameters('operatorTenantId')]"));
        Assert.Equal("[tenant().tenantId]", (string?)_infra.DefaultBehind(_function, "[parameters('operatorTenantId')]"));
        Assert.Equal("", (string?)_infra.DefaultBehind(_function, "[parameters('operatorAppClientId')]"));
        Assert.Equal(
            ["[parameters('operatorAppClientId')]", "[format('api://{0}', parameters('operatorAppClientId'))]"],
            aad["validation"]!["allowedAudiences"]!.AsArray().Select(a => (string?)a));
    }

    [Fact]
    public void The_settings_belong_to_the_function_app()
    {
        var config = _function.Resources("Microsoft.Web/sites/config").Single(r => ((string?)r["name"])!.Contains("'authsettingsV2'", StringComparison.Ordinal));

        Assert.Equal("[format('{0}/{1}', parameters('name'), 'authsettingsV2')]", (string?)config["name"]);
        Assert.Contains(config["dependsOn"]!.AsArray(), d => (string?)d == "[resourceId('Microsoft.Web/sites', parameters('name'))]");
    }
}
