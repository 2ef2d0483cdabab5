namespace RoleSync.Infra.Tests;

public sealed class QueueTests(InfraFixture fixture) : IClassFixture<InfraFixture>
{
    private readonly CompiledInfra _infra = fixture.Infra;
    private readonly Module _serviceBus = fixture.Infra.Module("servicebus");

    private JsonObject Queue => _serviceBus.Single("Microsoft.ServiceBus/namespaces/queues");

    private JsonNode Properties => Queue["properties"]!;

    [Fact]
    public void Queue_name_defaults_to_role_changes()
    {
        Assert.Equal("[format('{0}/{1}', parameters('name'), parameters('queueName'))]", (string?)Queue["name"]);
        Assert.Equal("role-changes", (string?)_infra.DefaultBehind(_serviceBus, "[parameters('queueName')]"));
    }

    [Fact]
    public void Duplicate_detection_is_on_with_a_one_day_default_window()
    {
        Assert.True((bool?)Properties["requiresDuplicateDetection"]);
        Assert.Equal("P1D", (string?)_infra.DefaultBehind(_serviceBus, (string)Properties["duplicateDetectionHistoryTimeWindow"]!));
    }

    [Fact]
    public void Max_delivery_count_defaults_to_ten() =>
        Assert.Equal(10, (int?)_infra.DefaultBehind(_serviceBus, (string)Properties["maxDeliveryCount"]!));

    [Fact]
    public void Lock_duration_is_a_parameter_within_the_service_bus_limit()
    {
        var lockDuration = (string?)_infra.DefaultBehind(_serviceBus, (string)Properties["lockDuration"]!);

        var parsed = System.Xml.XmlConvert.ToTimeSpan(lockDuration!);
        Assert.InRange(parsed, TimeSpan.FromSeconds(5), TimeSpan.FromMinutes(5));
    }

    [Fact]
    public void Expired_messages_are_dead_lettered_after_a_configurable_ttl()
    {
        Assert.True((bool?)Properties["deadLetteringOnMessageExpiration"]);
        Assert.Equal("defaultMessageTimeToLive", _infra.MainParameterBehind(_serviceBus, (string)Properties["defaultMessageTimeToLive"]!));
        Assert.NotNull(_infra.Parameter("defaultMessageTimeToLive")["defaultValue"]);
    }

    [Fact]
    public void Sessions_are_not_required() =>
        Assert.False((bool?)Properties["requiresSession"]);
}
