using System.ComponentModel.DataAnnotations;

namespace RoleSync.Lifecycle;

/// <summary>Configuration section "Users": how long a resolved externalId or emailAddress is trusted, and how many are kept.</summary>
public sealed class UserResolutionOptions
{
    public const string SectionName = "Users";

    /// <summary>How long a resolution (memory cache and ledger record) is used before Clerk is asked again; 0 turns both off.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "7.00:00:00", ErrorMessage = "Users:CacheDuration must be between 00:00:00 and 7.00:00:00 (7 days).")]
    public TimeSpan CacheDuration { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>The most resolutions kept in memory (the cache's size limit; each counts 1).</summary>
    [Range(1, 10_000_000, ErrorMessage = "Users:CacheSize must be between 1 and 10000000.")]
    public int CacheSize { get; set; } = 10_000;
}
