using Azure;
using Azure.Identity;
using Azure.Security.KeyVault.Secrets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RoleSync.Secrets;

namespace RoleSync.AzureAdapters;

/// <summary>
/// Reads the Clerk secret key from Key Vault and keeps it in memory for <see cref="ClerkSecretOptions.SecretCacheDuration"/>,
/// so N messages cost one Key Vault read. Concurrent callers share one read. When Key Vault fails but a key was
/// read before, that key stays in use (it most likely still works) and the vault is asked again after a short pause.
/// </summary>
public sealed partial class KeyVaultClerkSecretProvider(
    SecretClient client,
    IOptions<ClerkSecretOptions> options,
    TimeProvider timeProvider,
    ILogger<KeyVaultClerkSecretProvider> logger) : IClerkSecretProvider, IDisposable
{
    private static readonly TimeSpan RetryPauseAfterFailure = TimeSpan.FromSeconds(30);

    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly string _secretName = options.Value.SecretName;
    private readonly TimeSpan _cacheDuration = options.Value.SecretCacheDuration;
    private volatile Cached? _cached;

    private sealed record Cached(ClerkSecret Secret, DateTimeOffset ExpiresAt);

    /// <summary>
    /// The last refresh after a 401 that did not help (the vault failed, or gave the key Clerk had just rejected), and
    /// until when it stands: a revoked key must not turn into one Key Vault read per message across the fleet.
    /// </summary>
    private sealed record FailedRefresh(ClerkSecret Rejected, ClerkSecret? Same, ClerkSecretUnavailableException? Failure, DateTimeOffset Until);

    private FailedRefresh? _failedRefresh;

    /// <summary>How many times Key Vault was asked (successfully or not).</summary>
    public int ReadCount => _readCount;

    private int _readCount;

    public async ValueTask<ClerkSecret> GetAsync(CancellationToken cancellationToken = default)
    {
        var cached = _cached;
        if (cached is not null && timeProvider.GetUtcNow() < cached.ExpiresAt)
        {
            return cached.Secret;
        }
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            cached = _cached;
            if (cached is not null && timeProvider.GetUtcNow() < cached.ExpiresAt)
            {
                return cached.Secret;
            }
            return await LoadAsync(keepStaleOnFailure: true, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    public async ValueTask<ClerkSecret> RefreshAsync(ClerkSecret rejected, CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_cached is { } cached && !cached.Secret.Equals(rejected))
            {
                return cached.Secret; // another caller already refreshed
            }
            var now = timeProvider.GetUtcNow();
            if (_failedRefresh is { } failed && failed.Rejected.Equals(rejected) && now < failed.Until)
            {
                // Refreshed moments ago without a new key: answer as then (RetryPauseAfterFailure), without reading.
                return failed.Same ?? throw failed.Failure!;
            }
            try
            {
                var loaded = await LoadAsync(keepStaleOnFailure: false, cancellationToken).ConfigureAwait(false);
                _failedRefresh = loaded.Equals(rejected) ? new FailedRefresh(rejected, loaded, null, now + RetryPauseAfterFailure) : null;
                return loaded;
            }
            catch (ClerkSecretUnavailableException ex)
            {
                _failedRefresh = new FailedRefresh(rejected, null, ex, now + RetryPauseAfterFailure);
                throw;
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<ClerkSecret> LoadAsync(bool keepStaleOnFailure, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _readCount);
        try
        {
            KeyVaultSecret secret = await client.GetSecretAsync(_secretName, cancellationToken: cancellationToken).ConfigureAwait(false);
            if (string.IsNullOrWhiteSpace(secret.Value))
            {
                throw new ClerkSecretUnavailableException($"Key Vault secret '{_secretName}' in {client.VaultUri} is empty.");
            }
            var value = new ClerkSecret(secret.Value);
            if (!value.LooksLikeClerkKey)
            {
                throw new ClerkSecretUnavailableException(
                    $"Key Vault secret '{_secretName}' in {client.VaultUri} does not look like a Clerk secret key (expected sk_live_… or sk_test_…).");
            }
            _cached = new Cached(value, timeProvider.GetUtcNow() + _cacheDuration);
            LogSecretRead(logger, _secretName, client.VaultUri, value.IsLive ? "live" : "test");
            return value;
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            var failure = ex as ClerkSecretUnavailableException ?? new ClerkSecretUnavailableException(Describe(ex), ex);
            if (keepStaleOnFailure && _cached is { } stale)
            {
                LogUsingStale(logger, failure.Message);
                _cached = stale with { ExpiresAt = timeProvider.GetUtcNow() + RetryPauseAfterFailure };
                return stale.Secret;
            }
            throw failure;
        }
    }

    private string Describe(Exception ex)
    {
        var where = $"secret '{_secretName}' in Key Vault {client.VaultUri}";
        return ex switch
        {
            RequestFailedException { Status: 404 } => $"Could not read {where}: it does not exist (SecretNotFound). Set it with 'az keyvault secret set'.",
            RequestFailedException { Status: 403 } f => $"Could not read {where}: forbidden ({f.ErrorCode ?? "Forbidden"}). Grant RoleSync's identity the 'Key Vault Secrets User' role.",
            RequestFailedException { Status: 401 } f => $"Could not read {where}: unauthorized ({f.ErrorCode ?? "Unauthorized"}).",
            RequestFailedException { Status: > 0 } f => $"Could not read {where}: Key Vault answered {f.Status} {f.ErrorCode}.",
            AuthenticationFailedException or CredentialUnavailableException => $"Could not read {where}: no Azure credential could get a token ({FirstLine(ex.Message)}).",
            _ => $"Could not read {where}: Key Vault unreachable ({ex.GetType().Name}: {FirstLine(ex.Message)}).",
        };
    }

    private static string FirstLine(string text)
    {
        var line = text.AsSpan();
        var end = line.IndexOfAny('\r', '\n');
        if (end >= 0)
        {
            line = line[..end];
        }
        return line.Length > 300 ? string.Concat(line[..300], "…") : line.ToString();
    }

    public void Dispose() => _gate.Dispose();

    [LoggerMessage(Level = LogLevel.Information, Message = "Read Clerk secret {SecretName} from {VaultUri} ({KeyKind} key)")]
    private static partial void LogSecretRead(ILogger logger, string secretName, Uri vaultUri, string keyKind);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Key Vault read failed; keeping the previously read Clerk secret for now: {Failure}")]
    private static partial void LogUsingStale(ILogger logger, string failure);
}
