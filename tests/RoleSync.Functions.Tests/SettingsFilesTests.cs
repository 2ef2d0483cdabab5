using System.Text.Json;

namespace RoleSync.Functions.Tests;

/// <summary>host.json, local.settings.sample.json and the generated binding metadata say what the app relies on.</summary>
public sealed class SettingsFilesTests
{
    [Fact]
    public void The_generated_binding_metadata_declares_the_trigger_with_manual_settlement()
    {
        var metadata = JsonNode.Parse(File.ReadAllText(Path.Combine(TestPaths.FunctionsOutputDirectory, "functions.metadata")))!.AsArray();

        var function = Assert.Single(metadata, f => f!["name"]!.GetValue<string>() == ProcessRoleChangeFunction.Name)!;
        Assert.Equal("RoleSync.Functions.dll", function["scriptFile"]!.GetValue<string>());
        Assert.Equal("RoleSync.Functions.ProcessRoleChangeFunction.RunAsync", function["entryPoint"]!.GetValue<string>());
        var trigger = Assert.Single(function["bindings"]!.AsArray())!;
        Assert.Equal("serviceBusTrigger", trigger["type"]!.GetValue<string>());
        Assert.Equal("In", trigger["direction"]!.GetValue<string>());
        Assert.Equal("%RoleChangesQueueName%", trigger["queueName"]!.GetValue<string>());
        Assert.Equal("ServiceBusConnection", trigger["connection"]!.GetValue<string>());
        Assert.False(trigger["autoCompleteMessages"]!.GetValue<bool>());
        Assert.Equal("One", trigger["cardinality"]!.GetValue<string>());
        Assert.Equal("True", trigger["properties"]!["supportsDeferredBinding"]!.GetValue<string>());
    }

    [Fact]
    public void The_generated_binding_metadata_declares_the_reconcile_timer_on_its_schedule_setting()
    {
        var metadata = JsonNode.Parse(File.ReadAllText(Path.Combine(TestPaths.FunctionsOutputDirectory, "functions.metadata")))!.AsArray();

        var function = Assert.Single(metadata, f => f!["name"]!.GetValue<string>() == ReconcileFunction.Name)!;
        Assert.Equal("Reconcile", ReconcileFunction.Name);
        Assert.Equal("RoleSync.Functions.ReconcileFunction.RunAsync", function["entryPoint"]!.GetValue<string>());
        var trigger = Assert.Single(function["bindings"]!.AsArray())!;
        Assert.Equal("timerTrigger", trigger["type"]!.GetValue<string>());
        Assert.Equal("In", trigger["direction"]!.GetValue<string>());
        Assert.Equal("%Reconcile:Schedule%", trigger["schedule"]!.GetValue<string>());
        Assert.Null(trigger["runOnStartup"]); // not on every cold start of every instance
    }

    [Fact]
    public void Host_json_is_copied_into_the_app_and_settles_messages_manually()
    {
        var root = File.ReadAllText(TestPaths.InRepository("host.json"));
        Assert.Equal(root, File.ReadAllText(Path.Combine(TestPaths.FunctionsOutputDirectory, "host.json")));

        var host = JsonNode.Parse(root)!;
        var serviceBus = host["extensions"]!["serviceBus"]!;
        Assert.Equal("2.0", host["version"]!.GetValue<string>());
        Assert.Equal("OpenTelemetry", host["telemetryMode"]!.GetValue<string>());
        Assert.False(serviceBus["autoCompleteMessages"]!.GetValue<bool>());
        Assert.Equal(0, serviceBus["prefetchCount"]!.GetValue<int>());
        Assert.InRange(serviceBus["maxConcurrentCalls"]!.GetValue<int>(), 1, 16);
        // The lock is renewed for as long as an invocation may run.
        var functionTimeout = TimeSpan.Parse(host["functionTimeout"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture);
        var lockRenewal = TimeSpan.Parse(serviceBus["maxAutoLockRenewalDuration"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(lockRenewal >= functionTimeout, $"maxAutoLockRenewalDuration {lockRenewal} < functionTimeout {functionTimeout}");
        // The host's client settles the messages: its retries are bounded as the worker's sender's (AzureClientRetry),
        // so the attempt deadline plus settlement fits in functionTimeout.
        var retry = serviceBus["clientRetryOptions"]!;
        Assert.Equal("exponential", retry["mode"]!.GetValue<string>());
        Assert.Equal(AzureClientRetry.ServiceBusMaxRetries, retry["maxRetries"]!.GetValue<int>());
        Assert.Equal(AzureClientRetry.TryTimeout, TimeSpan.Parse(retry["tryTimeout"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(AzureClientRetry.Delay, TimeSpan.Parse(retry["delay"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(AzureClientRetry.MaxDelay, TimeSpan.Parse(retry["maxDelay"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture));
        var settlement = (AzureClientRetry.ServiceBusMaxRetries + 1) * (AzureClientRetry.TryTimeout + TimeSpan.FromSeconds(10))
            + AzureClientRetry.MaxDelay; // per operation, with the SDK's 10 s pause when the namespace is busy
        var deadline = TimeSpan.Parse(ProcessingOptions.MaxAttemptDeadline, System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(deadline + 4 * settlement <= functionTimeout, $"{deadline} + 4 × {settlement} > functionTimeout {functionTimeout}");
    }

    [Fact]
    public void The_local_settings_sample_names_every_setting_the_app_reads_and_holds_no_secret()
    {
        var values = SampleValues();

        string[] expected =
        [
            "FUNCTIONS_WORKER_RUNTIME", "AZURE_FUNCTIONS_ENVIRONMENT", "AzureWebJobsStorage", "ServiceBusConnection", "RoleChangesQueueName",
            "Clerk__ApiUrl", "Clerk__KeyVaultUri", "Clerk__SecretName", "Ledger__TableName", "Retry__MaxAttempts",
            "Reconcile__Schedule", "Reconcile__Mode", "APPLICATIONINSIGHTS_CONNECTION_STRING",
        ];
        Assert.Equal(expected.Order(), values.Keys.Order());
        Assert.Equal("dotnet-isolated", values["FUNCTIONS_WORKER_RUNTIME"]);
        Assert.Equal("UseDevelopmentStorage=true", values["AzureWebJobsStorage"]);
        Assert.Equal(ReconcileOptions.DefaultSchedule, values["Reconcile__Schedule"]);
        Assert.Equal("Repair", values["Reconcile__Mode"]);
        Assert.DoesNotContain(values.Values, v => v.Contains("sk_live_", StringComparison.Ordinal) || v.Contains("sk_test_", StringComparison.Ordinal));
        Assert.DoesNotContain(values.Values, v => v.Contains("InstrumentationKey=", StringComparison.OrdinalIgnoreCase));
        // The only key in it is the Service Bus emulator's documented placeholder.
        Assert.Contains("SharedAccessKey=SAS_KEY_VALUE;", values["ServiceBusConnection"]);
    }

    [Fact]
    public void The_local_settings_sample_starts_the_app()
    {
        var settings = SampleValues().ToDictionary(kv => kv.Key.Replace("__", ":", StringComparison.Ordinal), kv => (string?)kv.Value);

        using var host = TestHost.Build(settings, settings["AZURE_FUNCTIONS_ENVIRONMENT"]!);

        host.Services.GetRequiredService<IStartupValidator>().Validate();
        Assert.Equal("role-changes", host.Services.GetRequiredService<Azure.Messaging.ServiceBus.ServiceBusSender>().EntityPath);
    }

    private static Dictionary<string, string> SampleValues()
    {
        using var sample = JsonDocument.Parse(File.ReadAllText(TestPaths.InRepository("local.settings.sample.json")));
        return sample.RootElement.GetProperty("Values").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!);
    }
}
