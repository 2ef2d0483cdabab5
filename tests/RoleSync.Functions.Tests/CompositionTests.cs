using RoleSync.Clerk;
using RoleSync.Reconcile;
using RoleSync.Secrets;

namespace RoleSync.Functions.Tests;

/// <summary>The worker host as Program.cs builds it: every function and its dependencies resolve; bad settings fail at start, by name.</summary>
public sealed class CompositionTests
{
    /// <summary>What the infrastructure sets in Azure (identity-based connections, Key Vault).</summary>
    private static readonly Dictionary<string, string> Production = new()
    {
        ["RoleChangesQueueName"] = "role-changes",
        ["ServiceBusConnection:fullyQualifiedNamespace"] = "sb-rolesync-test.servicebus.windows.net",
        ["ServiceBusConnection:credential"] = "managedidentity",
        ["ServiceBusConnection:clientId"] = "6f1b2c3d-0000-4000-8000-000000000001",
        ["AzureWebJobsStorage:accountName"] = "strolesynctest",
        ["Clerk:KeyVaultUri"] = "https://kv-rolesync-test.vault.azure.net/",
        ["Clerk:SecretName"] = "clerk-secret-key",
        ["Clerk:ApiUrl"] = "https://api.clerk.com",
        ["Ledger:TableName"] = "RoleSyncLedger",
        ["Reconcile:Schedule"] = "0 */15 * * * *",
    };

    [Fact]
    public void Every_function_and_its_dependencies_resolve_with_production_settings()
    {
        using var host = ProgramHost.Build(Args(Production));

        host.Services.GetRequiredService<IStartupValidator>().Validate();
        using var scope = host.Services.CreateScope();
        var functionTypes = FunctionTypes().ToList();
        Assert.Contains(typeof(ProcessRoleChangeFunction), functionTypes);
        Assert.Contains(typeof(ReconcileFunction), functionTypes);
        foreach (var type in functionTypes)
        {
            Assert.NotNull(ActivatorUtilities.CreateInstance(scope.ServiceProvider, type));
        }

        var sender = host.Services.GetRequiredService<ServiceBusSender>();
        Assert.Equal("role-changes", sender.EntityPath);
        Assert.Equal("sb-rolesync-test.servicebus.windows.net", sender.FullyQualifiedNamespace);
        Assert.IsType<KeyVaultClerkSecretProvider>(host.Services.GetRequiredService<IClerkSecretProvider>());
        Assert.NotNull(host.Services.GetRequiredService<ClerkClient>());
        Assert.IsType<TableMembershipLedger>(host.Services.GetRequiredService<IMembershipLedger>());
        Assert.NotNull(host.Services.GetRequiredService<RoleChangeProcessor>());
        Assert.NotNull(host.Services.GetRequiredService<MessageSettler>());
        Assert.Equal(8, host.Services.GetRequiredService<IOptions<RetryOptions>>().Value.MaxAttempts);
        Assert.NotNull(host.Services.GetRequiredService<Reconciler>());
        Assert.Equal(ReconcileMode.Repair, host.Services.GetRequiredService<IOptions<ReconcileOptions>>().Value.ToReconcileMode());
        Assert.Equal(TimeSpan.FromSeconds(90), host.Services.GetRequiredService<IOptions<ProcessingOptions>>().Value.AttemptDeadline);
        Assert.Equal(10, host.Services.GetRequiredService<IOptions<DeliveryOptions>>().Value.MaxDeliveryCount);
        Assert.NotNull(host.Services.GetRequiredService<MessageSigner>());
    }

    [Theory]
    [InlineData("Report", ReconcileMode.Report)]
    [InlineData("report", ReconcileMode.Report)]
    [InlineData("Repair", ReconcileMode.Repair)]
    public void Reconcile_mode_is_read_from_its_setting(string value, ReconcileMode expected)
    {
        var settings = new Dictionary<string, string>(Production) { ["Reconcile:Mode"] = value };

        using var host = ProgramHost.Build(Args(settings));

        host.Services.GetRequiredService<IStartupValidator>().Validate();
        Assert.Equal(expected, host.Services.GetRequiredService<IOptions<ReconcileOptions>>().Value.ToReconcileMode());
    }

    [Fact]
    public void The_sender_of_retry_copies_retries_once_with_10_second_tries()
    {
        using var host = ProgramHost.Build(Args(Production));

        var retry = host.Services.GetRequiredService<IOptionsMonitor<ServiceBusClientOptions>>().Get("Default").RetryOptions;

        Assert.Equal(
            (ServiceBusRetryMode.Exponential, 1, TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(10)),
            (retry.Mode, retry.MaxRetries, retry.Delay, retry.MaxDelay, retry.TryTimeout));
    }

    [Fact]
    public void A_local_connection_string_and_a_literal_secret_key_work_in_Development()
    {
        // The Functions builder takes its environment from the process's AZURE_FUNCTIONS_ENVIRONMENT, which a test
        // running in parallel with others must not change: this builds the same registrations on a Development host.
        var settings = new Dictionary<string, string?>
        {
            ["RoleChangesQueueName"] = "role-changes",
            ["ServiceBusConnection"] = "Endpoint=sb://localhost;SharedAccessKeyName=RootManageSharedAccessKey;SharedAccessKey=SAS_KEY_VALUE;UseDevelopmentEmulator=true;",
            ["Clerk:SecretKey"] = "sk_test_local_development_key",
            ["AzureWebJobsStorage"] = "UseDevelopmentStorage=true",
            ["Reconcile:Schedule"] = "0 */15 * * * *",
        };

        using var host = TestHost.Build(settings, Environments.Development);

        host.Services.GetRequiredService<IStartupValidator>().Validate();
        Assert.IsType<ConfiguredClerkSecretProvider>(host.Services.GetRequiredService<IClerkSecretProvider>());
        var sender = host.Services.GetRequiredService<ServiceBusSender>();
        Assert.Equal("role-changes", sender.EntityPath);
        Assert.Equal("localhost", sender.FullyQualifiedNamespace);
    }

    [Fact]
    public void Missing_settings_fail_at_start_with_errors_that_name_them()
    {
        using var host = ProgramHost.Build();

        var error = Assert.ThrowsAny<Exception>(() => host.Services.GetRequiredService<IStartupValidator>().Validate());

        var messages = Messages(error);
        Assert.Contains("RoleChangesQueueName is not set", messages);
        Assert.Contains("ServiceBusConnection is not set", messages);
        Assert.Contains("ServiceBusConnection__fullyQualifiedNamespace", messages);
        Assert.Contains("Clerk:KeyVaultUri is not set", messages);
        Assert.Contains("No storage for the ledger is configured: set AzureWebJobsStorage", messages);
        Assert.Contains("Reconcile__Schedule is not set: it is the Reconcile function's timer schedule (the trigger reads %Reconcile:Schedule%)", messages);
    }

    [Fact]
    public void A_literal_secret_key_is_refused_outside_Development()
    {
        var settings = new Dictionary<string, string>(Production) { ["Clerk:SecretKey"] = "sk_live_should_not_be_here" };
        settings.Remove("Clerk:KeyVaultUri");

        using var host = ProgramHost.Build(Args(settings));

        var error = Assert.ThrowsAny<Exception>(() => host.Services.GetRequiredService<IStartupValidator>().Validate());
        Assert.Contains("Clerk:KeyVaultUri is not set: production configuration", Messages(error));
    }

    [Fact]
    public void The_unverified_principal_switch_is_refused_at_start_outside_Development()
    {
        var settings = new Dictionary<string, string>(Production) { ["OperatorAuth:AllowUnverifiedPrincipal"] = "true" };

        using var host = ProgramHost.Build(Args(settings));

        var error = Assert.ThrowsAny<Exception>(() => host.Services.GetRequiredService<IStartupValidator>().Validate());
        Assert.Contains("OperatorAuth:AllowUnverifiedPrincipal is for local development only", Messages(error));
    }

    [Fact]
    public void The_unverified_principal_switch_is_accepted_in_Development()
    {
        var settings = TestHost.LocalSettings("http://127.0.0.1:9");
        settings["OperatorAuth:AllowUnverifiedPrincipal"] = "true";
        settings["Reconcile:Schedule"] = "0 */15 * * * *";

        using var host = TestHost.Build(settings, Environments.Development);

        host.Services.GetRequiredService<IStartupValidator>().Validate();
        Assert.True(host.Services.GetRequiredService<IOptions<OperatorAuthOptions>>().Value.AllowUnverifiedPrincipal);
    }

    [Fact]
    public void Program_puts_the_operator_middleware_and_the_table_audit_in_place()
    {
        using var host = ProgramHost.Build(Args(Production));

        Assert.NotNull(host.Services.GetService<OperatorAuthMiddleware>());
        Assert.IsType<TableOperatorAuditLog>(host.Services.GetRequiredService<RoleSync.Audit.IOperatorAuditLog>());
        Assert.Equal("rolesyncaudit", host.Services.GetRequiredService<IOptions<RoleSync.Audit.AuditOptions>>().Value.TableName);
    }

    [Theory]
    [InlineData("Retry:MaxAttempts", "0", "Retry:MaxAttempts must be between 1 and 100")]
    [InlineData("Retry:Delays:0", "00:00:00", "Retry:Delays must each be between")]
    [InlineData("ServiceBusConnection:credential", "clientsecret", "ServiceBusConnection__credential is 'clientsecret'")]
    [InlineData("Reconcile:Schedule", "*/15 * * * *", "Reconcile__Schedule is '*/15 * * * *', not a 6-field NCRONTAB expression")]
    [InlineData("Reconcile:Schedule", "00:15:00", "Reconcile__Schedule is '00:15:00', not a 6-field NCRONTAB expression")]
    [InlineData("Reconcile:Schedule", "0 */15 * * * * *", "Reconcile__Schedule is '0 */15 * * * * *', not a 6-field NCRONTAB expression")]
    [InlineData("Reconcile:Schedule", "0 61 * * * *", "Reconcile__Schedule is '0 61 * * * *', not a 6-field NCRONTAB expression")]
    [InlineData("Reconcile:Schedule", " ", "Reconcile__Schedule is not set")]
    [InlineData("Reconcile:Mode", "Fix", "Reconcile__Mode is 'Fix': use Repair (put drifted roles back, the default) or Report")]
    [InlineData("Reconcile:Mode", "1", "Reconcile__Mode is '1'")]
    [InlineData("Processing:AttemptDeadline", "00:03:00", "Processing:AttemptDeadline must be between 00:00:01 and 00:02:00")]
    [InlineData("ServiceBus:MaxDeliveryCount", "0", "ServiceBus:MaxDeliveryCount must be between 1 and 2000")]
    public void Invalid_settings_fail_at_start_with_errors_that_name_them(string key, string value, string expected)
    {
        var settings = new Dictionary<string, string>(Production) { [key] = value };

        using var host = ProgramHost.Build(Args(settings));

        var error = Assert.ThrowsAny<Exception>(() => host.Services.GetRequiredService<IStartupValidator>().Validate());
        Assert.Contains(expected, Messages(error));
    }

    private static string[] Args(IReadOnlyDictionary<string, string> settings) =>
        settings.Select(kv => $"--{kv.Key}={kv.Value}").ToArray();

    private static string Messages(Exception error) => error is AggregateException aggregate
        ? string.Join("\n", aggregate.InnerExceptions.Select(e => e.Message))
        : error.Message;

    private static IEnumerable<Type> FunctionTypes() =>
        typeof(ProcessRoleChangeFunction).Assembly.GetTypes()
            .Where(t => t.GetMethods().Any(m => m.GetCustomAttribute<FunctionAttribute>() is not null));
}
