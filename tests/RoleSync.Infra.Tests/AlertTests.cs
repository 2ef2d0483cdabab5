namespace RoleSync.Infra.Tests;

public sealed class AlertTests(InfraFixture fixture) : IClassFixture<InfraFixture>
{
    private readonly CompiledInfra _infra = fixture.Infra;
    private readonly Module _alerts = fixture.Infra.Module("alerts");

    private JsonObject Alert(string nameSuffix) =>
        Assert.Single(_alerts.Resources("Microsoft.Insights/metricAlerts"),
            a => ((string?)a["name"])?.EndsWith($"-{nameSuffix}', parameters('namePrefix'))]", StringComparison.Ordinal) == true);

    [Fact]
    public void Dead_letter_alert_fires_on_any_dead_lettered_message_in_the_queue()
    {
        var alert = Alert("dead-letters")["properties"]!;
        var criterion = Assert.Single(alert["criteria"]!["allOf"]!.AsArray())!;

        Assert.Equal("[parameters('serviceBusNamespaceId')]", (string?)Assert.Single(alert["scopes"]!.AsArray()));
        Assert.Contains("'servicebus'), '2025-04-01').outputs.namespaceId.value]",
            _alerts.ValuePassedFor("[parameters('serviceBusNamespaceId')]"), StringComparison.Ordinal);
        Assert.Equal("Microsoft.ServiceBus/namespaces", (string?)criterion["metricNamespace"]);
        Assert.Equal("DeadletteredMessages", (string?)criterion["metricName"]);
        Assert.Equal("GreaterThan", (string?)criterion["operator"]);
        Assert.Equal(0, (double?)criterion["threshold"]);

        var dimension = Assert.Single(criterion["dimensions"]!.AsArray())!;
        Assert.Equal("EntityName", (string?)dimension["name"]);
        Assert.Equal("Include", (string?)dimension["operator"]);
        Assert.Equal("[parameters('queueName')]", (string?)Assert.Single(dimension["values"]!.AsArray()));
        Assert.Contains("'servicebus'), '2025-04-01').outputs.queueName.value]",
            _alerts.ValuePassedFor("[parameters('queueName')]"), StringComparison.Ordinal);
    }

    [Fact]
    public void Failure_alert_fires_on_any_failed_invocation()
    {
        var alert = Alert("function-failures")["properties"]!;
        var criterion = Assert.Single(alert["criteria"]!["allOf"]!.AsArray())!;

        Assert.Equal("[parameters('applicationInsightsId')]", (string?)Assert.Single(alert["scopes"]!.AsArray()));
        Assert.Contains("'monitoring'), '2025-04-01').outputs.applicationInsightsId.value]",
            _alerts.ValuePassedFor("[parameters('applicationInsightsId')]"), StringComparison.Ordinal);
        Assert.Equal("requests/failed", (string?)criterion["metricName"]);
        Assert.Equal("GreaterThan", (string?)criterion["operator"]);
        Assert.Equal(0, (double?)criterion["threshold"]);
    }

    [Fact]
    public void Quarantine_alert_fires_while_any_host_reports_the_quarantine_gauge()
    {
        var alert = Alert("quarantine")["properties"]!;
        var criterion = Assert.Single(alert["criteria"]!["allOf"]!.AsArray())!;

        Assert.Equal("[parameters('applicationInsightsId')]", (string?)Assert.Single(alert["scopes"]!.AsArray()));
        Assert.Equal("azure.applicationinsights", (string?)criterion["metricNamespace"]);
        Assert.Equal("rolesync.quarantine.active", (string?)criterion["metricName"]);
        Assert.Equal("Maximum", (string?)criterion["timeAggregation"]);
        Assert.Equal("GreaterThan", (string?)criterion["operator"]);
        Assert.Equal(0, (double?)criterion["threshold"]);
        Assert.True((bool?)criterion["skipMetricValidation"]);
        Assert.Equal(1, (int?)alert["severity"]);
        Assert.Contains("quarantine", (string?)alert["description"], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("dead-letters")]
    [InlineData("function-failures")]
    [InlineData("quarantine")]
    public void Alerts_notify_the_action_groups_from_the_parameters(string alert)
    {
        Assert.Equal("[variables('actions')]", (string?)Alert(alert)["properties"]!["actions"]);

        var actions = (string?)_alerts.Template["variables"]!["actions"];
        Assert.Contains("parameters('actionGroupId')", actions, StringComparison.Ordinal);
        Assert.Contains("resourceId('Microsoft.Insights/actionGroups'", actions, StringComparison.Ordinal);
        Assert.Equal("alertActionGroupId", _infra.MainParameterBehind(_alerts, "[parameters('actionGroupId')]"));
        Assert.Equal("alertEmailAddress", _infra.MainParameterBehind(_alerts, "[parameters('alertEmailAddress')]"));
    }

    [Fact]
    public void Action_group_is_created_only_for_an_email_address()
    {
        var group = _alerts.Single("Microsoft.Insights/actionGroups");

        Assert.Equal("[not(empty(parameters('alertEmailAddress')))]", (string?)group["condition"]);
        Assert.Equal("[parameters('alertEmailAddress')]",
            (string?)Assert.Single(group["properties"]!["emailReceivers"]!.AsArray())!["emailAddress"]);
    }
}
