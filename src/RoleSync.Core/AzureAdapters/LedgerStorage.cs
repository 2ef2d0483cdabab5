using Microsoft.Extensions.Configuration;
using RoleSync.Ledger;

namespace RoleSync.AzureAdapters;

/// <summary>
/// Where the ledger table lives, as the configuration section Microsoft.Extensions.Azure builds a
/// <c>TableServiceClient</c> from: a connection string as the section's value, or <c>endpoint</c> with the identity keys
/// (<c>credential</c>, <c>clientId</c>) the library turns into a credential.
/// </summary>
/// <remarks>
/// Hand-written because the library cannot do it: the ledger shares the Functions host's storage, whose identity-based
/// settings (<c>AzureWebJobsStorage__accountName</c>, <c>__tableServiceUri</c>) are names the Functions host knows,
/// not the Tables client's constructor parameter (<c>endpoint</c>); and RoleSync's own <c>Ledger</c> settings come
/// first. First match wins: <c>Ledger:ConnectionString</c>; <c>Ledger:TableServiceUri</c> (identity from
/// <c>AzureWebJobsStorage</c>); <c>AzureWebJobsStorage</c> as a connection string; its <c>tableServiceUri</c>; its
/// <c>accountName</c> (https://{account}.table.core.windows.net).
/// </remarks>
public static class LedgerStorage
{
    public const string HostStorageSection = "AzureWebJobsStorage";

    /// <summary>The section for the Tables client, or null when no storage is configured.</summary>
    public static IConfigurationSection? Resolve(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var ledger = configuration.GetSection(LedgerOptions.SectionName);
        var host = configuration.GetSection(HostStorageSection);
        if (ledger[nameof(LedgerOptions.ConnectionString)] is { Length: > 0 } connectionString)
        {
            return Section(connectionString, null, host);
        }
        if (ledger[nameof(LedgerOptions.TableServiceUri)] is { Length: > 0 } ledgerUri)
        {
            return Section(null, ledgerUri, host);
        }
        if (host.Value is { Length: > 0 } hostConnectionString)
        {
            return Section(hostConnectionString, null, host);
        }
        if (host["tableServiceUri"] is { Length: > 0 } hostUri)
        {
            return Section(null, hostUri, host);
        }
        if (host["accountName"] is { Length: > 0 } account)
        {
            return Section(null, $"https://{account}.table.core.windows.net", host);
        }
        return null;
    }

    private static IConfigurationSection Section(string? connectionString, string? endpoint, IConfigurationSection identity)
    {
        const string Name = "ledgerStorage";
        var settings = new Dictionary<string, string?> { [Name] = connectionString };
        if (endpoint is not null)
        {
            settings[$"{Name}:endpoint"] = endpoint;
            settings[$"{Name}:credential"] = identity["credential"];
            settings[$"{Name}:clientId"] = identity["clientId"];
        }
        return new ConfigurationBuilder().AddInMemoryCollection(settings).Build().GetSection(Name);
    }
}
