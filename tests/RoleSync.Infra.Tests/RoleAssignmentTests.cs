namespace RoleSync.Infra.Tests;

public sealed partial class RoleAssignmentTests(InfraFixture fixture) : IClassFixture<InfraFixture>
{
    private const string RoleAssignment = "Microsoft.Authorization/roleAssignments";

    // How a module names the app identity's principal: the existing identity's principalId.
    private const string AppPrincipal =
        "[reference(resourceId('Microsoft.ManagedIdentity/userAssignedIdentities', parameters('appIdentityName')), '2023-01-31').principalId]";

    private readonly CompiledInfra _infra = fixture.Infra;

    public static TheoryData<string, string, string> AppRoles => new()
    {
        { "servicebus", Roles.ServiceBusDataReceiver, "[resourceId('Microsoft.ServiceBus/namespaces/queues', parameters('name'), parameters('queueName'))]" },
        { "servicebus", Roles.ServiceBusDataSender, "[resourceId('Microsoft.ServiceBus/namespaces/queues', parameters('name'), parameters('queueName'))]" },
        { "keyvault", Roles.KeyVaultSecretsUser, "[resourceId('Microsoft.KeyVault/vaults', parameters('name'))]" },
        { "storage", Roles.StorageBlobDataOwner, "[resourceId('Microsoft.Storage/storageAccounts', parameters('name'))]" },
        { "storage", Roles.StorageTableDataContributor, "[resourceId('Microsoft.Storage/storageAccounts', parameters('name'))]" },
        { "monitoring", Roles.MonitoringMetricsPublisher, "[resourceId('Microsoft.Insights/components', parameters('applicationInsightsName'))]" },
    };

    [Theory]
    [MemberData(nameof(AppRoles))]
    public void App_identity_holds_the_role_on_the_narrowest_scope(string module, string roleId, string scope)
    {
        var compiled = _infra.Module(module);
        var assignment = Assert.Single(AppAssignments(compiled), a => RoleOf(compiled, a) == roleId);

        Assert.Equal(scope, (string?)assignment["scope"]);
        Assert.Equal("ServicePrincipal", (string?)assignment["properties"]!["principalType"]);
        Assert.Null(assignment["condition"]);
    }

    [Fact]
    public void App_identity_holds_no_other_role()
    {
        var granted = _infra.Modules()
            .SelectMany(m => AppAssignments(m).Select(a => (m.Name, Role: RoleOf(m, a))))
            .Order()
            .ToList();
        var expected = AppRoles.Select(row => ((string)row[0], (string)row[1])).Order().ToList();

        Assert.Equal(expected, granted);
    }

    [Fact]
    public void Modules_grant_roles_to_the_identity_the_app_runs_as()
    {
        var identityName = _infra.Module("identity").ValuePassedFor("[parameters('name')]");

        foreach (var module in new[] { "servicebus", "keyvault", "storage", "monitoring" })
        {
            Assert.Equal(identityName, _infra.Module(module).ValuePassedFor("[parameters('appIdentityName')]"));
        }

        Assert.Equal(identityName, _infra.Module("function").ValuePassedFor("[parameters('identityName')]"));
    }

    [Fact]
    public void No_role_is_assigned_on_a_resource_group_or_subscription()
    {
        var all = _infra.Modules().SelectMany(m => m.Resources(RoleAssignment)).ToList();

        Assert.NotEmpty(all);
        Assert.All(all, a => Assert.StartsWith("[resourceId(", (string?)a["scope"], StringComparison.Ordinal));
        Assert.DoesNotContain(CompiledInfra.Resources(_infra.Template), r => (string?)r["type"] == RoleAssignment);
    }

    [Theory]
    [InlineData("keyvault", Roles.KeyVaultSecretsOfficer, "[resourceId('Microsoft.KeyVault/vaults', parameters('name'))]")]
    [InlineData("servicebus", Roles.ServiceBusDataSender, "[resourceId('Microsoft.ServiceBus/namespaces/queues', parameters('name'), parameters('queueName'))]")]
    public void Deploying_user_gets_a_role_only_when_named(string module, string roleId, string scope)
    {
        var compiled = _infra.Module(module);
        var assignment = Assert.Single(compiled.Resources(RoleAssignment),
            a => RoleOf(compiled, a) == roleId && (string?)a["properties"]!["principalId"] == "[parameters('deployerPrincipalId')]");

        Assert.Equal("[not(empty(parameters('deployerPrincipalId')))]", (string?)assignment["condition"]);
        Assert.Equal(scope, (string?)assignment["scope"]);
        Assert.Equal("principalId", _infra.MainParameterBehind(compiled, "[parameters('deployerPrincipalId')]"));
        Assert.Equal("", (string?)_infra.Parameter("principalId")["defaultValue"]);
    }

    private static IEnumerable<JsonObject> AppAssignments(Module module) =>
        module.Resources(RoleAssignment).Where(a => (string?)a["properties"]!["principalId"] == AppPrincipal);

    /// <summary>The role definition GUID, written literally or through a variable of the module.</summary>
    private static string RoleOf(Module module, JsonObject assignment)
    {
        var definition = (string?)assignment["properties"]!["roleDefinitionId"];
        var match = RoleDefinition().Match(definition ?? "");
        Assert.True(match.Success, $"Unexpected roleDefinitionId {definition} in module '{module.Name}'.");
        return match.Groups["variable"].Success
            ? (string)module.Template["variables"]![match.Groups["variable"].Value]!
            : match.Groups["literal"].Value;
    }

    [GeneratedRegex(@"^\[subscriptionResourceId\('Microsoft\.Authorization/roleDefinitions', (variables\('(?<variable>\w+)'\)|'(?<literal>[0-9a-f-]{36})')\)\]$")]
    private static partial Regex RoleDefinition();
}
