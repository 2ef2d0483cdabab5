using System.ComponentModel.DataAnnotations;

namespace RoleSync.Clerk;

/// <summary>Configuration section "Clerk", the request budget of <see cref="ClerkRateLimiter"/>.</summary>
public sealed class ClerkBudgetOptions
{
    /// <summary>
    /// Client-side limit in requests per 10 seconds for this instance. Null: 90 % of Clerk's limit for the key's
    /// instance type (sk_live_: 900, sk_test_: 90).
    /// </summary>
    [Range(1, 100_000, ErrorMessage = "Clerk:RequestsPer10Seconds must be between 1 and 100000.")]
    public int? RequestsPer10Seconds { get; set; }
}
