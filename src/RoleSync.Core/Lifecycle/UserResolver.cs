using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;
using RoleSync.Clerk;
using RoleSync.Contract;
using RoleSync.Ledger;
using RoleSync.Processing;

namespace RoleSync.Lifecycle;

/// <summary>
/// Resolves a change that names its user by <c>externalId</c> or <c>emailAddress</c> to the Clerk user id, before it is
/// ordered: from a bounded memory cache, else the ledger record that last named the user so (both trusted for
/// <see cref="UserResolutionOptions.CacheDuration"/>), else <c>GET /v1/users</c>. None → rejected
/// <see cref="Reasons.UserNotFound"/>; several → rejected <see cref="Reasons.AmbiguousUser"/> (the detail lists user
/// ids, never email addresses); a failed lookup → transient. <see cref="ResolvedChange.UserFrom"/> says which answered
/// (a cache hit names where the cached answer came from), so the operator lookup reports this one rule's source.
/// </summary>
public sealed class UserResolver : IDisposable
{
    private readonly ClerkClient _clerk;
    private readonly IMembershipLedger _ledger;
    private readonly TimeProvider _timeProvider;
    private readonly TimeSpan _duration;
    private readonly MemoryCache _cache;

    public UserResolver(ClerkClient clerk, IMembershipLedger ledger, IOptions<UserResolutionOptions> options, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(options);
        _clerk = clerk;
        _ledger = ledger;
        _timeProvider = timeProvider;
        _duration = options.Value.CacheDuration;
        _cache = new MemoryCache(new MemoryCacheOptions { SizeLimit = options.Value.CacheSize });
    }

    /// <summary>Clerk lookups made so far (a cache or ledger hit makes none).</summary>
    public int Lookups => Volatile.Read(ref _lookups);

    private int _lookups;

    public async ValueTask<ResolvedChange> ResolveAsync(RoleChange change, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(change);
        if (change.IsResolved)
        {
            return ResolvedChange.Of(change) with { UserFrom = UserSource.UserId };
        }
        var (filter, value, key) = change.ExternalId is { } external
            ? (ClerkUserFilter.ExternalId, external, "external:" + external)
            : (ClerkUserFilter.EmailAddress, change.EmailAddress!, "email:" + change.EmailAddress!.ToLowerInvariant());
        bool caching = _duration > TimeSpan.Zero;
        if (caching && _cache.TryGetValue(key, out Cached? cached) && cached is not null)
        {
            return ResolvedChange.Of(change with { UserId = cached.UserId }) with { UserFrom = cached.From };
        }
        if (caching && await LedgerCalls.FindByIdentifierAsync(_ledger, change, cancellationToken).ConfigureAwait(false) is { } record
            && record.UserResolvedAt is { } resolvedAt && _timeProvider.GetUtcNow() - resolvedAt < _duration)
        {
            Remember(key, record.UserId, UserSource.Ledger);
            return ResolvedChange.Of(change with { UserId = record.UserId }) with { UserFrom = UserSource.Ledger };
        }

        Interlocked.Increment(ref _lookups);
        var found = await _clerk.FindUsersAsync(filter, [value], limit: 10, cancellationToken).ConfigureAwait(false);
        var field = filter == ClerkUserFilter.ExternalId ? "externalId" : "emailAddress";
        if (found.Error is { } error)
        {
            var reason = error.StatusCode switch { 429 => Reasons.ClerkRateLimited, 401 when error.FromClerk => Reasons.ClerkUnauthorized, _ => Reasons.ClerkUnavailable };
            return ResolvedChange.Ended(ProcessingResult.Transient(change, reason, $"Looking up the user by {field} failed: {error}", error.RetryAfter, error.TraceId));
        }
        switch (found.Users.Count)
        {
            case 0:
                return ResolvedChange.Ended(ProcessingResult.Rejected(change, Reasons.UserNotFound,
                    filter == ClerkUserFilter.ExternalId ? $"No Clerk user has externalId \"{value}\"." : "No Clerk user has the message's emailAddress."));
            case > 1:
                string[] ids = [.. found.Users.Select(u => u.Id)];
                return ResolvedChange.Ended(ProcessingResult.Rejected(change, Reasons.AmbiguousUser,
                    $"{ids.Length} Clerk users match the message's {field}: {string.Join(", ", ids)}; name the user by userId."), ids);
        }
        var userId = found.Users[0].Id;
        if (caching)
        {
            Remember(key, userId, UserSource.Clerk);
        }
        return ResolvedChange.Of(change with { UserId = userId }) with { UserFrom = UserSource.Clerk };
    }

    private void Remember(string key, string userId, UserSource from) =>
        _cache.Set(key, new Cached(userId, from), new MemoryCacheEntryOptions { Size = 1, AbsoluteExpirationRelativeToNow = _duration });

    private sealed record Cached(string UserId, UserSource From);

    public void Dispose() => _cache.Dispose();
}
