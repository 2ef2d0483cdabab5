using Azure.Identity;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using RoleSync.Ledger;

namespace RoleSync.Core.Tests.Ledger;

/// <summary>Where the ledger table lives, from the same settings the Functions host storage uses.</summary>
public sealed class LedgerConnectionTests
{
    private static IConfiguration Config(params (string Key, string Value)[] settings) =>
        new ConfigurationBuilder().AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value))).Build();

    [Fact]
    public void Local_development_uses_the_host_connection_string()
    {
        var (target, credential) = RoleSyncServiceCollectionExtensions.ResolveLedgerConnection(Config(("AzureWebJobsStorage", "UseDevelopmentStorage=true")))!.Value;
        Assert.Equal(("UseDevelopmentStorage=true", null), (target, credential));
    }

    [Fact]
    public void Identity_based_host_storage_derives_the_table_endpoint_and_uses_the_named_managed_identity()
    {
        var (target, credential) = RoleSyncServiceCollectionExtensions.ResolveLedgerConnection(Config(
            ("AzureWebJobsStorage:accountName", "strolesync"),
            ("AzureWebJobsStorage:credential", "managedidentity"),
            ("AzureWebJobsStorage:clientId", "00000000-0000-0000-0000-000000000001")))!.Value;

        Assert.Equal("https://strolesync.table.core.windows.net", target);
        Assert.IsType<ManagedIdentityCredential>(credential);
    }

    [Fact]
    public void A_table_service_uri_without_a_client_id_uses_the_default_credential()
    {
        var (target, credential) = RoleSyncServiceCollectionExtensions.ResolveLedgerConnection(Config(
            ("AzureWebJobsStorage:tableServiceUri", "https://acct.table.core.windows.net")))!.Value;

        Assert.Equal("https://acct.table.core.windows.net", target);
        Assert.IsType<DefaultAzureCredential>(credential);
    }

    [Fact]
    public void Ledger_settings_win_over_host_storage()
    {
        var (target, _) = RoleSyncServiceCollectionExtensions.ResolveLedgerConnection(Config(
            ("AzureWebJobsStorage", "UseDevelopmentStorage=true"),
            ("Ledger:ConnectionString", "DefaultEndpointsProtocol=https;AccountName=other;")))!.Value;

        Assert.Equal("DefaultEndpointsProtocol=https;AccountName=other;", target);
    }

    [Fact]
    public void Missing_storage_fails_at_start_naming_the_settings()
    {
        var services = new ServiceCollection().AddRoleSyncLedger(Config()).BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<LedgerOptions>>().Value);

        Assert.Contains("AzureWebJobsStorage", error.Message);
        Assert.Contains("Ledger__ConnectionString", error.Message);
    }

    [Fact]
    public void An_invalid_table_name_fails_at_start()
    {
        var services = new ServiceCollection().AddRoleSyncLedger(Config(("AzureWebJobsStorage", "UseDevelopmentStorage=true"), ("Ledger:TableName", "no-dashes"))).BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<LedgerOptions>>().Value);

        Assert.Contains("Ledger:TableName", error.Message);
    }
}
