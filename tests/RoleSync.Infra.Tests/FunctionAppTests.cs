namespace RoleSync.Infra.Tests;

public sealed class FunctionAppTests(InfraFixture fixture) : IClassFixture<InfraFixture>
{
    private const string IdentityResourceId = "[resourceId('Microsoft.ManagedIdentity/userAssignedIdentities', parameters('identityName'))]";
    private const string IdentityClientId =
        "[reference(resourceId('Microsoft.ManagedIdentity/userAssignedIdentities', parameters('identityName')), '2023-01-31').clientId]";

    private readonly CompiledInfra _infra = fixture.Infra;
    private readonly Module _function = fixture.Infra.Module("function");

    private JsonObject Site => _function.Single("Microsoft.Web/sites");

    private JsonObject SiteProperties => Site["properties"]!.AsObject();

    private Dictionary<string, string> AppSettings =>
        SiteProperties["siteConfig"]!["appSettings"]!.AsArray()
            .ToDictionary(s => (string)s!["name"]!, s => Expressions.Text(s!["value"])!);

    [Fact]
    public void Plan_is_flex_consumption()
    {
        var plan = _function.Single("Microsoft.Web/serverfarms");

        Assert.Equal("FC1", (string?)plan["sku"]!["name"]);
        Assert.Equal("FlexConsumption", (string?)plan["sku"]!["tier"]);
        Assert.True((bool?)plan["properties"]!["reserved"]);
        Assert.Equal("[resourceId('Microsoft.Web/serverfarms', parameters('planName'))]", (string?)SiteProperties["serverFarmId"]);
    }

    [Fact]
    public void Runtime_is_dotnet_isolated_10()
    {
        var runtime = SiteProperties["functionAppConfig"]!["runtime"]!;

        Assert.Equal("functionapp,linux", (string?)Site["kind"]);
        Assert.Equal("dotnet-isolated", (string?)runtime["name"]);
        Assert.Equal("10.0", (string?)runtime["version"]);
    }

    [Fact]
    public void Runs_as_the_user_assigned_identity_only()
    {
        var identity = Site["identity"]!;

        Assert.Equal("UserAssigned", (string?)identity["type"]);
        var assigned = Assert.Single(identity["userAssignedIdentities"]!.AsObject());
        Assert.Equal($"[format('{{0}}', {IdentityResourceId[1..^1]})]", assigned.Key);
    }

    [Fact]
    public void Deployment_package_container_is_reached_with_the_identity()
    {
        var storage = SiteProperties["functionAppConfig"]!["deployment"]!["storage"]!;

        Assert.Equal("blobContainer", (string?)storage["type"]);
        Assert.Equal(
            "[format('{0}{1}', reference(resourceId('Microsoft.Storage/storageAccounts', parameters('storageAccountName')), '2024-01-01').primaryEndpoints.blob, parameters('deploymentContainerName'))]",
            (string?)storage["value"]);
        Assert.Equal("UserAssignedIdentity", (string?)storage["authentication"]!["type"]);
        Assert.Equal(IdentityResourceId, (string?)storage["authentication"]!["userAssignedIdentityResourceId"]);
        Assert.Null(storage["authentication"]!["storageAccountConnectionStringName"]);

        // The container the app deploys from is the one the storage module creates, in the same account.
        var storageModule = _infra.Module("storage");
        Assert.Equal(
            storageModule.ValuePassedFor("[parameters('deploymentContainerName')]"),
            _function.ValuePassedFor("[parameters('deploymentContainerName')]"));
        Assert.Equal(
            storageModule.ValuePassedFor("[parameters('name')]"),
            _function.ValuePassedFor("[parameters('storageAccountName')]"));
        Assert.Single(storageModule.Resources("Microsoft.Storage/storageAccounts/blobServices/containers"));
    }

    [Fact]
    public void Scale_limits_come_from_parameters()
    {
        var scale = SiteProperties["functionAppConfig"]!["scaleAndConcurrency"]!;

        Assert.Equal("maxInstances", _infra.MainParameterBehind(_function, (string)scale["maximumInstanceCount"]!));
        Assert.Equal("instanceMemoryMB", _infra.MainParameterBehind(_function, (string)scale["instanceMemoryMB"]!));
        Assert.Equal(2048, (int?)_infra.Parameter("instanceMemoryMB")["defaultValue"]);
    }

    [Fact]
    public void The_instance_limit_and_the_hosts_the_clerk_budget_is_split_across_come_from_one_parameter()
    {
        var scale = SiteProperties["functionAppConfig"]!["scaleAndConcurrency"]!;

        Assert.Equal("maxInstances", _infra.MainParameterBehind(_function, (string)scale["maximumInstanceCount"]!));
        Assert.Equal("[string(parameters('maxInstances'))]", AppSettings["RoleSync__MaxInstances"]);
        Assert.Equal(2, (int?)_infra.Parameter("maxInstances")["defaultValue"]);
    }

    [Fact]
    public void The_clerk_budget_is_a_parameter_and_unset_by_default()
    {
        Assert.Equal("[if(greater(parameters('clerkRequestsPer10Seconds'), 0), string(parameters('clerkRequestsPer10Seconds')), '')]", AppSettings["Clerk__RequestsPer10Seconds"]);
        Assert.Equal("clerkRequestsPer10Seconds", _infra.MainParameterBehind(_function, "[parameters('clerkRequestsPer10Seconds')]"));
        Assert.Equal(0, (int?)_infra.Parameter("clerkRequestsPer10Seconds")["defaultValue"]);
        Assert.Equal(1000, (int?)_infra.Parameter("clerkRequestsPer10Seconds")["maxValue"]);
    }

    [Fact]
    public void Https_only_with_tls_1_2()
    {
        Assert.True((bool?)SiteProperties["httpsOnly"]);
        Assert.Equal("1.2", (string?)SiteProperties["siteConfig"]!["minTlsVersion"]);
    }

    [Theory]
    [InlineData("ftp")]
    [InlineData("scm")]
    public void Basic_publishing_credentials_are_disabled(string endpoint)
    {
        var policy = Assert.Single(_function.Resources("Microsoft.Web/sites/basicPublishingCredentialsPolicies"),
            p => ((string?)p["name"])?.EndsWith($"'{endpoint}')]", StringComparison.Ordinal) == true);

        Assert.False((bool?)policy["properties"]!["allow"]);
    }

    [Theory]
    // Flex Consumption rejects these site properties (ARM error 51021) or has moved them to functionAppConfig.
    [InlineData("linuxFxVersion")]
    [InlineData("ftpsState")]
    [InlineData("alwaysOn")]
    [InlineData("netFrameworkVersion")]
    [InlineData("use32BitWorkerProcess")]
    [InlineData("functionAppScaleLimit")]
    [InlineData("preWarmedInstanceCount")]
    [InlineData("functionsRuntimeScaleMonitoringEnabled")]
    public void Site_config_has_no_property_that_flex_rejects(string property) =>
        Assert.False(SiteProperties["siteConfig"]!.AsObject().ContainsKey(property), $"siteConfig sets {property}.");

    [Fact]
    public void App_settings_are_exactly_the_ones_the_app_reads()
    {
        string[] expected =
        [
            "AzureWebJobsStorage__accountName", "AzureWebJobsStorage__credential", "AzureWebJobsStorage__clientId",
            "ServiceBusConnection__fullyQualifiedNamespace", "ServiceBusConnection__credential", "ServiceBusConnection__clientId",
            "RoleChangesQueueName", "ServiceBus__MaxDeliveryCount", "Clerk__KeyVaultUri", "Clerk__SecretName", "Ledger__TableName", "Reconcile__Schedule", "Reconcile__Mode", "RoleSync__MaxInstances", "Clerk__RequestsPer10Seconds", "AZURE_CLIENT_ID",
            "APPLICATIONINSIGHTS_CONNECTION_STRING", "APPLICATIONINSIGHTS_AUTHENTICATION_STRING",
        ];

        Assert.Equal(expected.Order(), AppSettings.Keys.Order());
    }

    [Theory]
    [InlineData("AzureWebJobsStorage__credential")]
    [InlineData("ServiceBusConnection__credential")]
    public void Connections_use_the_managed_identity(string setting) =>
        Assert.Equal("managedidentity", AppSettings[setting]);

    [Theory]
    [InlineData("AzureWebJobsStorage__clientId")]
    [InlineData("ServiceBusConnection__clientId")]
    [InlineData("AZURE_CLIENT_ID")]
    public void Client_id_settings_name_the_app_identity(string setting) =>
        Assert.Equal(IdentityClientId, AppSettings[setting]);

    [Fact]
    public void App_insights_ingestion_authenticates_with_the_identity()
    {
        Assert.Equal(
            $"[format('ClientId={{0}};Authorization=AAD', {IdentityClientId[1..^1]})]",
            AppSettings["APPLICATIONINSIGHTS_AUTHENTICATION_STRING"]);
        Assert.Equal(
            "[reference(resourceId('Microsoft.Insights/components', parameters('applicationInsightsName')), '2020-02-02').ConnectionString]",
            AppSettings["APPLICATIONINSIGHTS_CONNECTION_STRING"]);
        Assert.Equal(
            _infra.Module("monitoring").ValuePassedFor("[parameters('applicationInsightsName')]"),
            _function.ValuePassedFor("[parameters('applicationInsightsName')]"));
    }

    [Fact]
    public void Storage_setting_names_the_account_with_the_ledger() =>
        Assert.Equal(
            _infra.Module("storage").ValuePassedFor("[parameters('name')]"),
            _function.ValuePassedFor(AppSettings["AzureWebJobsStorage__accountName"]));

    [Fact]
    public void Service_bus_settings_come_from_the_namespace_and_queue()
    {
        var serviceBus = _infra.Module("servicebus");

        Assert.Contains("'servicebus'), '2025-04-01').outputs.fullyQualifiedNamespace.value]",
            _function.ValuePassedFor(AppSettings["ServiceBusConnection__fullyQualifiedNamespace"]), StringComparison.Ordinal);
        Assert.Contains(".serviceBusEndpoint", Expressions.Text(serviceBus.Output("fullyQualifiedNamespace")), StringComparison.Ordinal);
        Assert.Contains("'servicebus'), '2025-04-01').outputs.queueName.value]",
            _function.ValuePassedFor(AppSettings["RoleChangesQueueName"]), StringComparison.Ordinal);
        Assert.Equal("[parameters('queueName')]", Expressions.Text(serviceBus.Output("queueName")));
    }

    [Fact]
    public void The_app_knows_the_queue_s_max_delivery_count_from_the_same_parameter()
    {
        Assert.Equal("[string(parameters('maxDeliveryCount'))]", AppSettings["ServiceBus__MaxDeliveryCount"]);
        Assert.Equal("maxDeliveryCount", _infra.MainParameterBehind(_function, "[parameters('maxDeliveryCount')]"));
        Assert.Equal("maxDeliveryCount", _infra.MainParameterBehind(_infra.Module("servicebus"), "[parameters('maxDeliveryCount')]"));
    }

    [Fact]
    public void Clerk_settings_point_into_the_vault()
    {
        Assert.Contains("'keyvault'), '2025-04-01').outputs.uri.value]",
            _function.ValuePassedFor(AppSettings["Clerk__KeyVaultUri"]), StringComparison.Ordinal);
        Assert.Equal(
            "[reference(resourceId('Microsoft.KeyVault/vaults', parameters('name')), '2023-07-01').vaultUri]",
            Expressions.Text(_infra.Module("keyvault").Output("uri")));
        Assert.Equal("clerkSecretName", _infra.MainParameterBehind(_function, AppSettings["Clerk__SecretName"]));
        Assert.Equal("clerkSecretName", _infra.MainParameterBehind(_infra.Module("keyvault"), "[parameters('secretName')]"));
    }

    [Theory]
    [InlineData("Clerk__SecretName", "clerk-secret-key")]
    [InlineData("Ledger__TableName", "RoleSyncLedger")]
    [InlineData("Reconcile__Schedule", "0 */15 * * * *")]
    [InlineData("Reconcile__Mode", "Repair")]
    public void Settings_default_to_the_names_the_app_expects(string setting, string expected) =>
        Assert.Equal(expected, (string?)_infra.DefaultBehind(_function, AppSettings[setting]));

    [Fact]
    public void Reconcile_settings_come_from_parameters_that_allow_only_the_app_s_modes()
    {
        Assert.Equal("reconcileSchedule", _infra.MainParameterBehind(_function, AppSettings["Reconcile__Schedule"]));
        Assert.Equal("reconcileMode", _infra.MainParameterBehind(_function, AppSettings["Reconcile__Mode"]));
        Assert.Equal(["Repair", "Report"], _infra.Parameter("reconcileMode")["allowedValues"]!.AsArray().Select(v => (string?)v));
    }

    [Fact]
    public void Ledger_table_is_created_with_the_configured_name()
    {
        var storage = _infra.Module("storage");
        var table = storage.Single("Microsoft.Storage/storageAccounts/tableServices/tables");

        Assert.Contains("parameters('ledgerTableName')", (string?)table["name"], StringComparison.Ordinal);
        Assert.Equal("ledgerTableName", _infra.MainParameterBehind(storage, "[parameters('ledgerTableName')]"));
        Assert.Equal("ledgerTableName", _infra.MainParameterBehind(_function, AppSettings["Ledger__TableName"]));
    }

    [Fact]
    public void Is_tagged_for_azd_as_the_rolesync_service()
    {
        Assert.Equal("[parameters('appTags')]", (string?)Site["tags"]);
        Assert.Contains("createObject('azd-service-name', 'rolesync')", _function.ValuePassedFor("[parameters('appTags')]"), StringComparison.Ordinal);
    }
}
