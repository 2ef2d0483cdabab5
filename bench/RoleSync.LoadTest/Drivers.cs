using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Runtime.CompilerServices;
using System.Net.Http.Json;
using System.Security.Cryptography.X509Certificates;

namespace RoleSync.LoadTest;

/// <summary>Counts outcomes by name without a lock, so the harness adds no contention of its own.</summary>
internal sealed class OutcomeCounter
{
    private readonly ConcurrentDictionary<string, StrongBox<int>> _counts = new();

    public void Add(string outcome) => Interlocked.Increment(ref _counts.GetOrAdd(outcome, static _ => new StrongBox<int>()).Value);

    public IReadOnlyDictionary<string, int> Snapshot() => _counts.ToDictionary(kv => kv.Key, kv => Volatile.Read(ref kv.Value.Value));
}

/// <summary>Creates the driver of a variant.</summary>
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
            VariantKind.RoleSyncMemory or VariantKind.RoleSyncAzurite => await RoleSyncDriver.CreateAsync(spec, secrets, cancellationToken).ConfigureAwait(false),
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
