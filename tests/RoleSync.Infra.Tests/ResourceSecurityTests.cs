namespace RoleSync.Infra.Tests;

public sealed class ResourceSecurityTests(InfraFixture fixture) : IClassFixture<InfraFixture>
{
    private readonly CompiledInfra _infra = fixture.Infra;

    [Fact]
    public void Storage_refuses_shared_keys_public_blobs_and_old_tls()
    {
        var properties = _infra.Module("storage").Single("Microsoft.Storage/storageAccounts")["properties"]!;

        Assert.False((bool?)properties["allowSharedKeyAccess"]);
        Assert.False((bool?)properties["allowBlobPublicAccess"]);
        Assert.True((bool?)properties["supportsHttpsTrafficOnly"]);
        Assert.True((bool?)properties["defaultToOAuthAuthentication"]);
        Assert.Equal("TLS1_2", (string?)properties["minimumTlsVersion"]);
    }

    [Fact]
    public void Deployment_container_is_private()
    {
        var container = _infra.Module("storage").Single("Microsoft.Storage/storageAccounts/blobServices/containers");

        Assert.Equal("None", (string?)container["properties"]!["publicAccess"]);
    }

    [Fact]
    public void Service_bus_refuses_sas_and_old_tls()
    {
        var properties = _infra.Module("servicebus").Single("Microsoft.ServiceBus/namespaces")["properties"]!;

        Assert.True((bool?)properties["disableLocalAuth"]);
        Assert.Equal("1.2", (string?)properties["minimumTlsVersion"]);
    }

    [Fact]
    public void Service_bus_tier_is_standard_unless_premium_is_asked_for()
    {
        var module = _infra.Module("servicebus");
        var sku = module.Single("Microsoft.ServiceBus/namespaces")["sku"]!;
        var parameter = _infra.Parameter(_infra.MainParameterBehind(module, (string)sku["name"]!));

        Assert.Equal("[parameters('skuName')]", (string?)sku["tier"]);
        Assert.Equal("Standard", (string?)parameter["defaultValue"]);
        Assert.Equal(["Standard", "Premium"], parameter["allowedValues"]!.AsArray().Select(v => (string?)v));
    }

    [Fact]
    public void Key_vault_uses_rbac_soft_delete_and_purge_protection()
    {
        var properties = _infra.Module("keyvault").Single("Microsoft.KeyVault/vaults")["properties"]!;

        Assert.True((bool?)properties["enableRbacAuthorization"]);
        Assert.True((bool?)properties["enableSoftDelete"]);
        Assert.True((bool?)properties["enablePurgeProtection"]);
        Assert.Null(properties["accessPolicies"]);
    }

    [Fact]
    public void Clerk_secret_is_created_only_from_the_secure_parameter()
    {
        var module = _infra.Module("keyvault");
        var secret = module.Single("Microsoft.KeyVault/vaults/secrets");

        Assert.Equal("[not(empty(parameters('secretValue')))]", (string?)secret["condition"]);
        Assert.Equal("[parameters('secretValue')]", (string?)secret["properties"]!["value"]);
        Assert.Equal("securestring", (string?)module.Template["parameters"]!["secretValue"]!["type"]);
        Assert.Equal("clerkSecretKey", _infra.MainParameterBehind(module, "[parameters('secretValue')]"));

        var parameter = _infra.Parameter("clerkSecretKey");
        Assert.Equal("securestring", (string?)parameter["type"]);
        Assert.Equal("", (string?)parameter["defaultValue"]);
    }

    [Fact]
    public void App_insights_accepts_only_entra_authenticated_telemetry()
    {
        var properties = _infra.Module("monitoring").Single("Microsoft.Insights/components")["properties"]!;

        Assert.True((bool?)properties["DisableLocalAuth"]);
        Assert.Equal("[resourceId('Microsoft.OperationalInsights/workspaces', parameters('logAnalyticsName'))]",
            (string?)properties["WorkspaceResourceId"]);
    }
}
