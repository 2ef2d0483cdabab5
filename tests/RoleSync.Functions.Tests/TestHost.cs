using Microsoft.Extensions.Configuration;

namespace RoleSync.Functions.Tests;

/// <summary>
/// A plain host with the app's registrations (<see cref="Extensions.AddRoleSyncFunctions{TBuilder}"/>) but not the
/// Functions worker itself, configured only by <paramref name="settings"/> (no environment variables), with logs captured and the quarantine
/// state in memory.
/// </summary>
internal static class TestHost
{
    /// <summary>
    /// The settings of a local run against <paramref name="clerkApiUrl"/> (the Clerk sandbox's fake key, a budget no test
    /// reaches, a local Service Bus connection string that is never dialled, Azurite's well-known storage); callers add
    /// or override the rest.
    /// </summary>
    public static Dictionary<string, string?> LocalSettings(string clerkApiUrl) => new()
    {
        ["RoleChangesQueueName"] = "role-changes",
        ["ServiceBusConnection"] = "Endpoint=sb://localhost;SharedAccessKeyName=RootManageSharedAccessKey;SharedAccessKey=SAS_KEY_VALUE;UseDevelopmentEmulator=true;",
        ["Clerk:ApiUrl"] = clerkApiUrl,
        ["Clerk:SecretKey"] = RoleSyncHarness.SecretKey,
        ["Clerk:RequestsPer10Seconds"] = "100000",
        ["AzureWebJobsStorage"] = "UseDevelopmentStorage=true",
    };

    public static IHost Build(
        IDictionary<string, string?> settings,
        string environment = "Production",
        Action<IServiceCollection>? configureServices = null)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = environment });
        Configure(builder, settings, configureServices);
        return builder.Build();
    }

    /// <summary>What <see cref="Build"/> does to its builder; <see cref="OperatorConsole.FunctionsHttpHost"/> does it to a web application's.</summary>
    public static void Configure(IHostApplicationBuilder builder, IDictionary<string, string?> settings, Action<IServiceCollection>? configureServices = null)
    {
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Logging.SetMinimumLevel(LogLevel.Trace).AddFakeLogging();
        builder.AddRoleSyncFunctions();
        builder.Services.AddSingleton<RoleSync.Quarantine.IQuarantineStore>(new RoleSync.Quarantine.InMemoryQuarantineStore()); // no table unless a test adds one
        builder.Services.AddSingleton<RoleSync.Guard.IGuardStore>(new RoleSync.Guard.InMemoryGuardStore()); // one count per host, no table unless a test adds one
        configureServices?.Invoke(builder.Services);
    }
}
