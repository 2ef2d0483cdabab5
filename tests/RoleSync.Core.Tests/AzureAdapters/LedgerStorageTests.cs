namespace RoleSync.Core.Tests.AzureAdapters;

/// <summary>
/// Where the ledger table lives, from the same settings the Functions host storage uses: the section RoleSync hands to
/// Microsoft.Extensions.Azure (which turns <c>credential</c>/<c>clientId</c> into the managed identity), and the client
/// it builds.
/// </summary>
public sealed class LedgerStorageTests
{
    private static IConfiguration Config(params (string Key, string Value)[] settings) =>
        new ConfigurationBuilder().AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value))).Build();

    private static IHost Host(params (string Key, string Value)[] settings)
    {
        var builder = Microsoft.Extensions.Hosting.Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value)));
        builder.AddRoleSyncTableLedger();
        return builder.Build();
    }

    [Fact]
    public void Local_development_uses_the_host_connection_string()
    {
        var section = LedgerStorage.Resolve(Config(("AzureWebJobsStorage", "UseDevelopmentStorage=true")))!;

        Assert.Equal("UseDevelopmentStorage=true", section.Value);
        Assert.Null(section["endpoint"]);
        using var host = Host(("AzureWebJobsStorage", "UseDevelopmentStorage=true"));
        Assert.Equal("devstoreaccount1", host.Services.GetRequiredService<TableServiceClient>().AccountName);
    }

    [Fact]
    public void Identity_based_host_storage_derives_the_table_endpoint_and_uses_the_named_managed_identity()
    {
        (string, string)[] settings =
        [
            ("AzureWebJobsStorage:accountName", "strolesync"),
            ("AzureWebJobsStorage:credential", "managedidentity"),
            ("AzureWebJobsStorage:clientId", "00000000-0000-0000-0000-000000000001"),
        ];
        var section = LedgerStorage.Resolve(Config(settings))!;

        Assert.Null(section.Value);
        Assert.Equal("https://strolesync.table.core.windows.net", section["endpoint"]);
        Assert.Equal("managedidentity", section["credential"]);
        Assert.Equal("00000000-0000-0000-0000-000000000001", section["clientId"]);
        using var host = Host(settings);
        Assert.Equal(new Uri("https://strolesync.table.core.windows.net"), host.Services.GetRequiredService<TableServiceClient>().Uri);
    }

    [Fact]
    public void A_table_service_uri_without_a_client_id_uses_the_default_credential()
    {
        var section = LedgerStorage.Resolve(Config(("AzureWebJobsStorage:tableServiceUri", "https://acct.table.core.windows.net")))!;

        Assert.Equal("https://acct.table.core.windows.net", section["endpoint"]);
        Assert.Null(section["credential"]); // Microsoft.Extensions.Azure then uses the registered default, DefaultAzureCredential
        Assert.Null(section["clientId"]);
    }

    [Fact]
    public void Ledger_settings_win_over_host_storage()
    {
        var section = LedgerStorage.Resolve(Config(
            ("AzureWebJobsStorage", "UseDevelopmentStorage=true"),
            ("Ledger:ConnectionString", "DefaultEndpointsProtocol=https;AccountName=other;")))!;

        Assert.Equal("DefaultEndpointsProtocol=https;AccountName=other;", section.Value);
    }

    [Fact]
    public void A_ledger_table_service_uri_uses_the_host_storage_identity()
    {
        var section = LedgerStorage.Resolve(Config(
            ("Ledger:TableServiceUri", "https://ledger.table.core.windows.net"),
            ("AzureWebJobsStorage:accountName", "strolesync"),
            ("AzureWebJobsStorage:credential", "managedidentity")))!;

        Assert.Equal("https://ledger.table.core.windows.net", section["endpoint"]);
        Assert.Equal("managedidentity", section["credential"]);
    }

    [Fact]
    public void Missing_storage_fails_at_start_naming_the_settings()
    {
        using var host = Host();

        var error = Assert.ThrowsAny<Exception>(() => host.Services.GetRequiredService<IStartupValidator>().Validate());

        Assert.Contains("AzureWebJobsStorage", error.Message);
        Assert.Contains("Ledger__ConnectionString", error.Message);
    }

    [Fact]
    public void An_invalid_table_name_fails_at_start()
    {
        using var host = Host(("AzureWebJobsStorage", "UseDevelopmentStorage=true"), ("Ledger:TableName", "no-dashes"));

        var error = Assert.ThrowsAny<Exception>(() => host.Services.GetRequiredService<IStartupValidator>().Validate());

        Assert.Contains("Ledger:TableName", error.Message);
    }
}
