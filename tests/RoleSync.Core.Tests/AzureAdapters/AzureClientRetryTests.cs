using Azure.Core;
using Azure.Security.KeyVault.Secrets;

namespace RoleSync.Core.Tests.AzureAdapters;

/// <summary>The Table Storage and Key Vault clients the core registers wait a bounded time (<see cref="AzureClientRetry"/>), not the SDK's minutes.</summary>
public sealed class AzureClientRetryTests
{
    [Fact]
    public void The_ledger_s_and_the_vault_s_clients_retry_twice_with_10_second_tries()
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Clerk:KeyVaultUri"] = "https://kv-rolesync-test.vault.azure.net/",
            ["AzureWebJobsStorage"] = "UseDevelopmentStorage=true",
        });
        builder.AddRoleSyncCore();
        builder.AddRoleSyncTableLedger();
        using var host = builder.Build();

        foreach (var retry in new[]
        {
            host.Services.GetRequiredService<IOptionsMonitor<TableClientOptions>>().Get("Default").Retry,
            host.Services.GetRequiredService<IOptionsMonitor<SecretClientOptions>>().Get("Default").Retry,
        })
        {
            Assert.Equal(
                (RetryMode.Exponential, 2, TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(10)),
                (retry.Mode, retry.MaxRetries, retry.Delay, retry.MaxDelay, retry.NetworkTimeout));
        }
        Assert.NotNull(host.Services.GetRequiredService<TableServiceClient>());
        Assert.NotNull(host.Services.GetRequiredService<SecretClient>());
    }
}
