using System.ComponentModel.DataAnnotations;

namespace RoleSync.Clerk;

/// <summary>Configuration section "Clerk": where Clerk is, how to reach it, and where its secret key lives.</summary>
public sealed class ClerkOptions
{
    public const string SectionName = "Clerk";

    /// <summary>Clerk Backend API base URL; requests go to {ApiUrl}/v1/organizations/….</summary>
    [Required]
    public Uri ApiUrl { get; set; } = new("https://api.clerk.com");

    /// <summary>Sent as the Clerk-API-Version header.</summary>
    [Required]
    public string ApiVersion { get; set; } = "2026-05-12";

    /// <summary>Key Vault holding the secret key (production). E.g. https://my-vault.vault.azure.net/.</summary>
    public Uri? KeyVaultUri { get; set; }

    /// <summary>Name of the Key Vault secret holding the Clerk secret key.</summary>
    [Required]
    public string SecretName { get; set; } = "clerk-secret-key";

    /// <summary>How long a secret read from Key Vault is reused before it is read again.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan SecretCacheDuration { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Local development only: a literal secret key used instead of Key Vault.</summary>
    public string? SecretKey { get; set; }

    /// <summary>
    /// Client-side limit in requests per 10 seconds for this instance. Null: 90 % of Clerk's limit for the key's
    /// instance type (sk_live_: 900, sk_test_: 90).
    /// </summary>
    [Range(1, 100_000)]
    public int? RequestsPer10Seconds { get; set; }

    /// <summary>Timeout of one HTTP attempt.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:05:00")]
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Timeout of one call including in-process retries and waiting for the rate limiter.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:10:00")]
    public TimeSpan TotalTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>In-process retries of one call (5xx, 408, 429, network errors, attempt timeouts).</summary>
    [Range(0, 10)]
    public int MaxRetryAttempts { get; set; } = 3;

    /// <summary>Base delay of the jittered exponential backoff between in-process retries.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:01:00")]
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// The longest Retry-After (from a 429) waited for in process; a longer one ends the call as transient and the
    /// message edge schedules the retry after that delay instead of holding the message lock.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:05:00")]
    public TimeSpan MaxInProcessRetryAfter { get; set; } = TimeSpan.FromSeconds(10);
}
