using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Security.KeyVault.Secrets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace RoleSync.KeyVaultFake;

/// <summary>
/// An in-process Azure Key Vault (secrets, read-only) on https://127.0.0.1:{free port}/ with a self-signed
/// certificate made at start, so the real <see cref="SecretClient"/> can talk to it. Each instance is independent.
/// </summary>
public sealed class KeyVaultFake : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly X509Certificate2 _serverCertificate;
    private readonly SecretStore _store;
    private readonly SecretsApi _api;

    private KeyVaultFake(WebApplication app, X509Certificate2 serverCertificate, SecretStore store, SecretsApi api, Uri vaultUri)
    {
        _app = app;
        _serverCertificate = serverCertificate;
        _store = store;
        _api = api;
        VaultUri = vaultUri;
        Certificate = X509CertificateLoader.LoadCertificate(serverCertificate.RawData);
    }

    /// <summary>https://127.0.0.1:{port}/</summary>
    public Uri VaultUri { get; }

    /// <summary>The server certificate without its private key: the one certificate a client should trust.</summary>
    public X509Certificate2 Certificate { get; }

    /// <summary>GET /secrets/... requests that carried a bearer token, whatever they answered.</summary>
    public int SecretReads => _api.Reads;

    /// <summary>When set (400-599), every authenticated secret GET answers this status with a Key Vault error body.</summary>
    public int? FailWith
    {
        get => _api.FailWith;
        set => _api.FailWith = value;
    }

    public static async Task<KeyVaultFake> StartAsync(CancellationToken cancellationToken = default)
    {
        var certificate = SelfSignedCertificate.Create();
        var store = new SecretStore();
        var api = new SecretsApi(store);

        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.Logging.AddConsole().SetMinimumLevel(LogLevel.Warning);
        builder.Services.AddRoutingCore();
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel =>
            kestrel.Listen(IPAddress.Loopback, 0, listen => listen.UseHttps(certificate)));

        var app = builder.Build();
        api.Map(app);
        try
        {
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await app.DisposeAsync().ConfigureAwait(false);
            certificate.Dispose();
            throw;
        }

        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single();
        var port = new Uri(address).Port;
        return new KeyVaultFake(app, certificate, store, api, new Uri($"https://127.0.0.1:{port}/"));
    }

    /// <summary>Adds a new version of the secret and returns its version id; a GET by name returns the newest.</summary>
    public string SetSecret(string name, string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (name is not { Length: >= 1 and <= 127 } || !name.All(c => char.IsAsciiLetterOrDigit(c) || c == '-'))
        {
            throw new ArgumentException("A Key Vault secret name is 1-127 characters of 0-9, a-z, A-Z and '-'.", nameof(name));
        }

        return _store.Set(name, value);
    }

    /// <summary>Removes every version of the secret; does nothing when there is none.</summary>
    public void RemoveSecret(string name) => _store.Remove(name);

    /// <summary>A real <see cref="SecretClient"/> wired to this fake.</summary>
    public SecretClient CreateClient(TokenCredential? credential = null, int maxRetries = 0) =>
        CreateClientFor(VaultUri, Certificate, credential, maxRetries);

    /// <summary>
    /// A real <see cref="SecretClient"/> for <paramref name="vaultUri"/> that trusts exactly <paramref name="trust"/>,
    /// skips the challenge resource check (the fake is not on vault.azure.net) and retries with millisecond delays.
    /// </summary>
    public static SecretClient CreateClientFor(Uri vaultUri, X509Certificate2 trust, TokenCredential? credential = null, int maxRetries = 0)
    {
        ArgumentNullException.ThrowIfNull(vaultUri);
        ArgumentOutOfRangeException.ThrowIfNegative(maxRetries);

        var options = new SecretClientOptions
        {
            Transport = new HttpClientTransport(CreateHandler(trust)),
            DisableChallengeResourceVerification = true,
        };
        options.Retry.MaxRetries = maxRetries;
        options.Retry.Delay = TimeSpan.FromMilliseconds(1);
        options.Retry.MaxDelay = TimeSpan.FromMilliseconds(10);
        return new SecretClient(vaultUri, credential ?? new StaticTokenCredential(), options);
    }

    /// <summary>A plain <see cref="HttpClient"/> with <see cref="VaultUri"/> as base address that trusts this fake, for raw protocol checks.</summary>
    public HttpClient CreateHttpClient() => new(CreateHandler(Certificate)) { BaseAddress = VaultUri };

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
        _serverCertificate.Dispose();
    }

    private static SocketsHttpHandler CreateHandler(X509Certificate2 trust)
    {
        ArgumentNullException.ThrowIfNull(trust);
        var trusted = trust.GetCertHashString(HashAlgorithmName.SHA256);
        return new SocketsHttpHandler
        {
            SslOptions =
            {
                // Pinned: only this exact certificate passes, whatever the chain or name errors say.
                RemoteCertificateValidationCallback = (_, certificate, _, _) =>
                    certificate is not null
                    && string.Equals(certificate.GetCertHashString(HashAlgorithmName.SHA256), trusted, StringComparison.OrdinalIgnoreCase),
            },
        };
    }
}
