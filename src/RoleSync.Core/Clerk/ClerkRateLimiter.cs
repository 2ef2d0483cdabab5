using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;

namespace RoleSync.Clerk;

/// <summary>
/// Keeps this instance under Clerk's per-instance limit instead of collecting 429s. The budget follows the key:
/// 90 % of Clerk's limit (sk_live_: 900, sk_test_: 90 requests per 10 s) unless configured. A token bucket refills
/// the budget evenly (1/100 of it every 1/100 of the window) and holds at most 1/20 of it, so any 10-second span sees
/// at most 105 % of the budget (945 of Clerk's 1000), while a steady stream gets all of it. Every HTTP attempt,
/// retries included, takes a permit; callers queue for one (first come, first served).
/// </summary>
public sealed class ClerkRateLimiter : IDisposable
{
    public const int LiveDefault = 900;
    public const int TestDefault = 90;
    public static readonly TimeSpan Window = TimeSpan.FromSeconds(10);

    private readonly int _liveBudget;
    private readonly int _testBudget;
    private readonly Lazy<RateLimiter> _live;
    private readonly Lazy<RateLimiter> _test;

    public ClerkRateLimiter(IOptions<ClerkBudgetOptions> options)
    {
        _liveBudget = options.Value.RequestsPer10Seconds ?? LiveDefault;
        _testBudget = options.Value.RequestsPer10Seconds ?? TestDefault;
        _live = new(() => Create(_liveBudget));
        _test = new(() => Create(_testBudget));
    }

    /// <summary>Requests per 10 s allowed for a key of this kind.</summary>
    public int BudgetFor(bool liveKey) => liveKey ? _liveBudget : _testBudget;

    /// <summary>Waits for a permit for one request sent with the given bearer key (sk_live_ or not).</summary>
    public ValueTask<RateLimitLease> AcquireAsync(bool liveKey, CancellationToken cancellationToken) =>
        (liveKey ? _live.Value : _test.Value).AcquireAsync(1, cancellationToken);

    private static TokenBucketRateLimiter Create(int perWindow)
    {
        int tokensPerPeriod = Math.Max(1, perWindow / 100);
        var period = Window * tokensPerPeriod / perWindow;
        return new TokenBucketRateLimiter(new TokenBucketRateLimiterOptions
        {
            TokenLimit = Math.Max(tokensPerPeriod, perWindow / 20),
            TokensPerPeriod = tokensPerPeriod,
            ReplenishmentPeriod = period,
            AutoReplenishment = true,
            QueueLimit = int.MaxValue,
            QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
        });
    }

    public void Dispose()
    {
        if (_live.IsValueCreated)
        {
            _live.Value.Dispose();
        }
        if (_test.IsValueCreated)
        {
            _test.Value.Dispose();
        }
    }
}
