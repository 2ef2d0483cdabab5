using System.ComponentModel.DataAnnotations;

namespace RoleSync.Clerk;

/// <summary>
/// Configuration section "Clerk", the endpoint and HTTP behaviour of <see cref="ClerkClient"/>: where Clerk is, the API
/// version, timeouts and in-process retries (<see cref="ClerkResilience"/>). The key lives in
/// <see cref="Secrets.ClerkSecretOptions"/>, the request budget in <see cref="ClerkBudgetOptions"/> (same section).
/// </summary>
public sealed class ClerkOptions
{
    public const string SectionName = "Clerk";

    /// <summary>Clerk Backend API base URL; requests go to {ApiUrl}/v1/organizations/…. https outside Development (see <see cref="IsAllowedApiUrl"/>).</summary>
    [Required(ErrorMessage = "Clerk:ApiUrl is not set, e.g. https://api.clerk.com.")]
    public Uri ApiUrl { get; set; } = new("https://api.clerk.com");

    /// <summary>Sent as the Clerk-API-Version header.</summary>
    [Required(ErrorMessage = "Clerk:ApiVersion is not set, e.g. 2026-05-12.")]
    public string ApiVersion { get; set; } = "2026-05-12";

    /// <summary>Timeout of one HTTP attempt.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:05:00", ErrorMessage = "Clerk:AttemptTimeout must be between 00:00:00.100 and 00:05:00.")]
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Timeout of one call including in-process retries and waiting for the rate limiter.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:10:00", ErrorMessage = "Clerk:TotalTimeout must be between 00:00:00.100 and 00:10:00.")]
    public TimeSpan TotalTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>In-process retries of one call (5xx, 408, 429, network errors, attempt timeouts).</summary>
    [Range(0, 10, ErrorMessage = "Clerk:MaxRetryAttempts must be between 0 and 10.")]
    public int MaxRetryAttempts { get; set; } = 3;

    /// <summary>Base delay of the jittered exponential backoff between in-process retries.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:01:00", ErrorMessage = "Clerk:RetryBaseDelay must be between 00:00:00 and 00:01:00.")]
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// The longest Retry-After (from a 429) waited for in process; a longer one ends the call as transient and the
    /// message edge schedules the retry after that delay instead of holding the message lock.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:05:00", ErrorMessage = "Clerk:MaxInProcessRetryAfter must be between 00:00:00 and 00:05:00.")]
    public TimeSpan MaxInProcessRetryAfter { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// The bearer key must never travel in clear text: <see cref="ApiUrl"/> is https, except in the Development
    /// environment or towards a loopback address (the key does not leave the machine: the Clerk sandbox).
    /// </summary>
    public static bool IsAllowedApiUrl(Uri url, bool development) =>
        url.IsAbsoluteUri && (url.Scheme == Uri.UriSchemeHttps || (url.Scheme == Uri.UriSchemeHttp && (development || url.IsLoopback)));
}
