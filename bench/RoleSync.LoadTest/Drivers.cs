using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Runtime.CompilerServices;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Security.Cryptography.X509Certificates;
using Azure.Security.KeyVault.Secrets;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using RoleSync.Clerk;
using RoleSync.Ledger;
using RoleSync.Processing;

namespace RoleSync.LoadTest;

/// <summary>Sends one message's worth of work to Clerk. True when the message ended as intended (applied).</summary>
public interface IDriver : IAsyncDisposable
{
    Task<bool> SendAsync(WorkItem item, CancellationToken cancellationToken);

    /// <summary>How the messages ended, by outcome name.</summary>
    IReadOnlyDictionary<string, int> Outcomes { get; }
}

/// <summary>Counts outcomes by name without a lock, so the harness adds no contention of its own.</summary>
internal sealed class OutcomeCounter
{
    private readonly ConcurrentDictionary<string, StrongBox<int>> _counts = new();

    public void Add(string outcome) => Interlocked.Increment(ref _counts.GetOrAdd(outcome, static _ => new StrongBox<int>()).Value);

    public IReadOnlyDictionary<string, int> Snapshot() => _counts.ToDictionary(kv => kv.Key, kv => Volatile.Read(ref kv.Value.Value));
}

public static class Drivers
{
    public static async Task<IDriver> CreateAsync(VariantSpec spec, CancellationToken cancellationToken)
    {
        var certificate = X509CertificateLoader.LoadCertificateFromFile(spec.VaultCertificatePath);
        var secrets = KeyVaultFake.KeyVaultFake.CreateClientFor(spec.VaultUri, certificate);
        return spec.Kind switch
        {
            VariantKind.Raw => new RawDriver(spec.ClerkUrl, spec.ClerkKey),
            VariantKind.Naive => new NaiveDriver(spec.ClerkUrl, secrets, spec.SecretName),
            VariantKind.RoleSyncMemory => RoleSyncDriver.Create(spec, secrets, tableLedger: false),
            VariantKind.RoleSyncAzurite => RoleSyncDriver.Create(spec, secrets, tableLedger: true),
            _ => throw new ArgumentOutOfRangeException(nameof(spec), spec.Kind, "Unknown variant kind."),
        };
    }
}

/// <summary>The raw ceiling: one pooled HttpClient, a prepared body, the PATCH, the response read. Nothing else.</summary>
internal sealed class RawDriver(Uri clerkUrl, string clerkKey) : IDriver
{
    private static readonly MediaTypeHeaderValue Json = new("application/json");
    private readonly HttpClient _http = new() { BaseAddress = clerkUrl };
    private readonly AuthenticationHeaderValue _authorization = new("Bearer", clerkKey);
    private readonly Dictionary<string, byte[]> _bodies = Workload.Roles.ToDictionary(r => r, r => Encoding.UTF8.GetBytes($$"""{"role":"{{r}}"}"""));
    private readonly OutcomeCounter _outcomes = new();

    public IReadOnlyDictionary<string, int> Outcomes => _outcomes.Snapshot();

    public async Task<bool> SendAsync(WorkItem item, CancellationToken cancellationToken)
    {
        var content = new ByteArrayContent(_bodies[item.Role]);
        content.Headers.ContentType = Json;
        using var request = new HttpRequestMessage(HttpMethod.Patch, $"v1/organizations/{item.OrganizationId}/memberships/{item.UserId}") { Content = content };
        request.Headers.Authorization = _authorization;
        using var response = await _http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        _outcomes.Add(((int)response.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture));
        return response.IsSuccessStatusCode;
    }

    public ValueTask DisposeAsync()
    {
        _http.Dispose();
        return ValueTask.CompletedTask;
    }
}

/// <summary>RoleSync as production wires it: AddRoleSyncCore (Key Vault secret provider, typed client, resilience, limiter, processor) and a ledger.</summary>
internal sealed class RoleSyncDriver(IHost host) : IDriver
{
    /// <summary>The largest Clerk:RequestsPer10Seconds that ClerkOptions validation accepts.</summary>
    public const int MaxConfigurableBudget = 100_000;

    private readonly RoleChangeProcessor _processor = host.Services.GetRequiredService<RoleChangeProcessor>();
    private readonly OutcomeCounter _outcomes = new();

    public IReadOnlyDictionary<string, int> Outcomes => _outcomes.Snapshot();

    /// <summary>
    /// The core as every edge builds it (<see cref="RoleSyncCoreExtensions"/>), with the Key Vault fake's client and,
    /// for the Azurite variant, the Table Storage ledger from <c>Ledger:ConnectionString</c> / <c>Ledger:TableName</c>.
    /// </summary>
    public static RoleSyncDriver Create(VariantSpec spec, SecretClient secrets, bool tableLedger)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Clerk:ApiUrl"] = spec.ClerkUrl.ToString(),
            ["Clerk:KeyVaultUri"] = spec.VaultUri.ToString(),
            ["Clerk:SecretName"] = spec.SecretName,
        };
        ClerkRateLimiter? limiter = null;
        if (spec.RequestsPer10Seconds is { } budget and <= MaxConfigurableBudget)
        {
            settings["Clerk:RequestsPer10Seconds"] = budget.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        else if (spec.RequestsPer10Seconds is { } largeBudget)
        {
            // Above what ClerkBudgetOptions accepts: the same limiter class with a larger budget, registered first so
            // AddRoleSyncCore keeps it. Everything else is wired as production wires it.
            limiter = new ClerkRateLimiter(Options.Create(new ClerkBudgetOptions { RequestsPer10Seconds = largeBudget }));
        }
        if (spec.SecretCacheDuration is { } cache)
        {
            settings["Clerk:SecretCacheDuration"] = cache.ToString("c", System.Globalization.CultureInfo.InvariantCulture);
        }
        if (tableLedger)
        {
            settings["Ledger:ConnectionString"] = spec.AzuriteConnectionString ?? throw new InvalidOperationException("The Azurite variant needs a connection string.");
            settings["Ledger:TableName"] = spec.TableName ?? throw new InvalidOperationException("The Azurite variant needs a table name.");
        }
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true, EnvironmentName = Environments.Production });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.ConfigureContainer(new DefaultServiceProviderFactory(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true }));
        if (limiter is not null)
        {
            builder.Services.AddSingleton(limiter);
        }
        if (tableLedger)
        {
            builder.AddRoleSyncTableLedger();
        }
        else
        {
            builder.Services.AddSingleton<IMembershipLedger>(new InMemoryMembershipLedger());
        }
        builder.AddRoleSyncCore();
        builder.Services.AddSingleton(secrets); // the Key Vault fake's client (its certificate): replaces the registered one
        var host = builder.Build();
        host.Services.GetRequiredService<IStartupValidator>().Validate();
        return new RoleSyncDriver(host);
    }

    public async Task<bool> SendAsync(WorkItem item, CancellationToken cancellationToken)
    {
        var result = await _processor.ProcessAsync(item.Body, cancellationToken).ConfigureAwait(false);
        _outcomes.Add(result.Reason is null ? result.Outcome.ToString() : $"{result.Outcome}:{result.Reason}");
        return result.Outcome == Outcome.Applied;
    }

    public ValueTask DisposeAsync()
    {
        host.Dispose();
        return ValueTask.CompletedTask;
    }
}

/// <summary>
/// What a quick implementation does: deserialize with reflection, read the key from Key Vault, make a new
/// HttpClient, PATCH, done. No cache, no connection reuse, no rate limiter, no retries, no ledger.
/// </summary>
internal sealed class NaiveDriver(Uri clerkUrl, SecretClient secrets, string secretName) : IDriver
{
    private static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web);
    private readonly OutcomeCounter _outcomes = new();

    public IReadOnlyDictionary<string, int> Outcomes => _outcomes.Snapshot();

    public async Task<bool> SendAsync(WorkItem item, CancellationToken cancellationToken)
    {
        var message = JsonSerializer.Deserialize<NaiveMessage>(item.Body, Web)
            ?? throw new InvalidOperationException("Empty message.");
        KeyVaultSecret secret = await secrets.GetSecretAsync(secretName, cancellationToken: cancellationToken).ConfigureAwait(false);
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Patch, new Uri(clerkUrl, $"v1/organizations/{message.OrganizationId}/memberships/{message.UserId}"))
        {
            Content = JsonContent.Create(new { role = message.Role }),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", secret.Value);
        using var response = await http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        _outcomes.Add(((int)response.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture));
        return response.IsSuccessStatusCode;
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private sealed record NaiveMessage(string EventId, DateTimeOffset OccurredAt, string OrganizationId, string UserId, string Role);
}
