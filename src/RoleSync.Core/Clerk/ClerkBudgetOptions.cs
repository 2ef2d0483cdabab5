using System.ComponentModel.DataAnnotations;

namespace RoleSync.Clerk;

/// <summary>Configuration section "Clerk", the request budget of <see cref="ClerkRateLimiter"/>.</summary>
public sealed class ClerkBudgetOptions
{
    /// <summary>
    /// RoleSync's share of Clerk's limit for the whole deployment, in requests per 10 seconds; each host takes it ÷
    /// <see cref="ScaleOutOptions.MaxInstances"/>. Null: 50 % of Clerk's limit for the key's instance type (sk_live_:
    /// 500 of 1000, sk_test_: 50 of 100), so the other half stays for the customer's own app. Up to 100 % (1000; for
    /// an sk_test_ key at most 100 is used) is a deployment's choice. Above 1000 only with a loopback
    /// <see cref="ClerkOptions.ApiUrl"/> (the sandbox: no real Clerk behind it; test harnesses and benchmarks), which
    /// also lifts the per-membership limit.
    /// </summary>
    [Range(1, 100_000, ErrorMessage = "Clerk:RequestsPer10Seconds must be between 1 and 100000.")]
    public int? RequestsPer10Seconds { get; set; }
}
