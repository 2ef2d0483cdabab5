using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;

namespace RoleSync.Clerk;

/// <summary>
/// Keeps this host within its share of RoleSync's Clerk budget instead of collecting 429s, and leaves the rest of
/// Clerk's per-instance limit to the other hosts and the customer's own app. The deployment's budget
/// (<see cref="ClerkBudgetOptions.RequestsPer10Seconds"/>, default 50 % of Clerk's limit: sk_live_ 500 of 1000,
/// sk_test_ 50 of 100) is split evenly across <see cref="ScaleOutOptions.MaxInstances"/> hosts. Every HTTP attempt,
/// retries included, takes a permit from an <see cref="AdaptiveTokenBucket"/> (first come, first served) which pauses
/// every request after a 429 and backs off (AIMD); a write to a membership also waits for Clerk's per-membership limit
/// (<see cref="MembershipWriteLimiter"/>). All of it follows the injected <see cref="TimeProvider"/>.
/// </summary>
public sealed class ClerkRateLimiter : IDisposable
{
    /// <summary>Clerk's limit of a production instance (sk_live_ keys), requests per 10 s.</summary>
    public const int LiveInstanceLimit = 1000;

    /// <summary>Clerk's limit of a development instance (sk_test_ keys), requests per 10 s.</summary>
    public const int TestInstanceLimit = 100;

    /// <summary>The default deployment budget for sk_live_ keys: 50 % of <see cref="LiveInstanceLimit"/>.</summary>
    public const int LiveDefault = LiveInstanceLimit / 2;

    /// <summary>The default deployment budget for sk_test_ keys: 50 % of <see cref="TestInstanceLimit"/>.</summary>
    public const int TestDefault = TestInstanceLimit / 2;

    /// <summary>Clerk's per-membership limit: writes to one membership per window.</summary>
    public const int MembershipWritesPerWindow = 10;

    /// <summary>Clerk's rate-limit window.</summary>
    public static readonly TimeSpan Window = TimeSpan.FromSeconds(10);

    /// <summary>The pause after a 429 without a Retry-After.</summary>
    public static readonly TimeSpan DefaultPause = TimeSpan.FromSeconds(1);

    /// <summary>The longest pause a Retry-After imposes on every request.</summary>
    public static readonly TimeSpan MaxPause = TimeSpan.FromSeconds(60);

    private readonly int _liveDeployment;
    private readonly int _testDeployment;
    private readonly int _liveBudget;
    private readonly int _testBudget;
    private readonly Lazy<AdaptiveTokenBucket> _live;
    private readonly Lazy<AdaptiveTokenBucket> _test;
    private readonly Lazy<MembershipWriteLimiter> _memberships;

    /// <summary>One host (<see cref="ScaleOutOptions.MaxInstances"/> 1) on the system clock.</summary>
    public ClerkRateLimiter(IOptions<ClerkBudgetOptions> options)
        : this(options, Options.Create(new ScaleOutOptions()), TimeProvider.System)
    {
    }

    /// <summary>This host's share of the deployment's budget, on <paramref name="timeProvider"/>.</summary>
    public ClerkRateLimiter(IOptions<ClerkBudgetOptions> options, IOptions<ScaleOutOptions> scaleOut, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(scaleOut);
        int hosts = Math.Max(1, scaleOut.Value.MaxInstances);
        int? configured = options.Value.RequestsPer10Seconds;
        _liveDeployment = configured ?? LiveDefault;
        _liveBudget = Math.Max(1, _liveDeployment / hosts);
        // A development instance allows 100: a budget sized for production is capped at all of it for sk_test_ keys.
        _testDeployment = configured is null ? TestDefault : configured <= LiveInstanceLimit ? Math.Min(configured.Value, TestInstanceLimit) : configured.Value;
        _testBudget = Math.Max(1, _testDeployment / hosts);
        _live = new(() => new AdaptiveTokenBucket(_liveBudget, Window, timeProvider));
        _test = new(() => new AdaptiveTokenBucket(_testBudget, Window, timeProvider));
        // A budget above Clerk's limit has no real Clerk behind it (harnesses, benchmarks): no per-membership limit either.
        MembershipLimitApplies = configured is null or <= LiveInstanceLimit;
        _memberships = new(() => new MembershipWriteLimiter(MembershipWritesPerWindow, Window, timeProvider));
    }

    /// <summary>Whether writes wait for Clerk's per-membership limit.</summary>
    public bool MembershipLimitApplies { get; }

    /// <summary>The deployment's requests per 10 s for a key of this kind: <c>Clerk:RequestsPer10Seconds</c> resolved (default, sk_test_ cap).</summary>
    public int DeploymentBudgetFor(bool liveKey) => liveKey ? _liveDeployment : _testDeployment;

    /// <summary>This host's requests per 10 s for a key of this kind (its share of the deployment's budget).</summary>
    public int BudgetFor(bool liveKey) => liveKey ? _liveBudget : _testBudget;

    /// <summary>The current rate in requests per 10 s for a key of this kind (lower than the share after a 429).</summary>
    public double CurrentRateFor(bool liveKey) => Bucket(liveKey).Rate;

    /// <summary>Until when every request with a key of this kind waits (after a 429).</summary>
    public DateTimeOffset PausedUntil(bool liveKey) => Bucket(liveKey).PausedUntil;

    /// <summary>Waits for a permit for one request sent with the given bearer key (sk_live_ or not).</summary>
    public ValueTask<RateLimitLease> AcquireAsync(bool liveKey, CancellationToken cancellationToken) =>
        Bucket(liveKey).AcquireAsync(cancellationToken);

    /// <summary>
    /// Waits for a permit for one request; a write to a membership (<paramref name="membershipKey"/> not null) first
    /// waits for that membership's limit.
    /// </summary>
    public async ValueTask<RateLimitLease> AcquireAsync(bool liveKey, string? membershipKey, CancellationToken cancellationToken)
    {
        if (membershipKey is not null && MembershipLimitApplies)
        {
            await _memberships.Value.WaitAsync(membershipKey, cancellationToken).ConfigureAwait(false);
        }
        return await AcquireAsync(liveKey, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Clerk answered 429 (its limit is spent, by other hosts or the customer's app): every request with a key of this
    /// kind waits for <paramref name="retryAfter"/> (default <see cref="DefaultPause"/>, at most <see cref="MaxPause"/>),
    /// then the rate halves and recovers by a tenth of the share per window without a 429.
    /// </summary>
    public void OnTooManyRequests(bool liveKey, TimeSpan? retryAfter)
    {
        var pause = retryAfter is { } delay && delay > TimeSpan.Zero ? (delay < MaxPause ? delay : MaxPause) : DefaultPause;
        Bucket(liveKey).OnTooManyRequests(pause);
    }

    private AdaptiveTokenBucket Bucket(bool liveKey) => liveKey ? _live.Value : _test.Value;

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
