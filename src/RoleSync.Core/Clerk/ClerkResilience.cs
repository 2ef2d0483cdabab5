using System.Net;
using Microsoft.Extensions.Http.Resilience;
using Polly;
using Polly.RateLimiting;

namespace RoleSync.Clerk;

/// <summary>The resilience pipeline of every Clerk request (Microsoft.Extensions.Http.Resilience / Polly).</summary>
internal static class ClerkResilience
{
    /// <summary>
    /// Outer to inner: total timeout → retry (jittered exponential, honouring Retry-After up to
    /// <see cref="ClerkOptions.MaxInProcessRetryAfter"/>) → rate limiter (every attempt takes a permit; a write to a
    /// membership also waits for that membership's limit) → attempt timeout. Every 429 the retry sees, retried or not,
    /// tells the limiter, which pauses all of this host's requests (<see cref="ClerkRateLimiter.OnTooManyRequests"/>).
    /// </summary>
    public static void Configure(ResiliencePipelineBuilder<HttpResponseMessage> builder, ClerkOptions options, ClerkRateLimiter limiter, TimeProvider timeProvider)
    {
        builder
            .AddTimeout(options.TotalTimeout)
            .AddRetry(new HttpRetryStrategyOptions
            {
                MaxRetryAttempts = Math.Max(options.MaxRetryAttempts, 1),
                ShouldHandle = args =>
                {
                    // The retry sees every attempt's outcome: the place to tell the limiter of a 429.
                    if (args.Outcome.Result is { StatusCode: HttpStatusCode.TooManyRequests } tooMany)
                    {
                        limiter.OnTooManyRequests(IsLive(args.Context), RetryAfter(tooMany, timeProvider));
                    }
                    return ValueTask.FromResult(options.MaxRetryAttempts > 0 && ShouldRetry(args.Outcome, options.MaxInProcessRetryAfter));
                },
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = options.RetryBaseDelay,
                MaxDelay = options.MaxInProcessRetryAfter + options.RetryBaseDelay,
                ShouldRetryAfterHeader = true,
                OnRetry = UnansweredAttempts.OnRetry, // an attempt without an answer makes a PATCH ambiguous
            })
            .AddRateLimiter(new RateLimiterStrategyOptions
            {
                RateLimiter = args => limiter.AcquireAsync(
                    IsLive(args.Context),
                    MembershipKey(args.Context.GetRequestMessage()),
                    args.Context.CancellationToken),
            })
            .AddTimeout(options.AttemptTimeout);
    }

    private static bool IsLive(ResilienceContext context) =>
        context.GetRequestMessage()?.Options.TryGetValue(ClerkClient.LiveKeyOption, out var live) == true && live;

    private static TimeSpan? RetryAfter(HttpResponseMessage response, TimeProvider timeProvider) =>
        response.Headers.RetryAfter is { } retryAfter ? retryAfter.Delta ?? (retryAfter.Date - timeProvider.GetUtcNow()) : null;

    /// <summary>The membership a write goes to (<c>organizations/{org}/memberships/{user}</c>), or null for a read.</summary>
    internal static string? MembershipKey(HttpRequestMessage? request)
    {
        if (request is null || request.Method == HttpMethod.Get || request.RequestUri is not { } uri)
        {
            return null;
        }
        var path = uri.IsAbsoluteUri ? uri.AbsolutePath : uri.OriginalString.Split('?')[0];
        int at = path.IndexOf("organizations/", StringComparison.Ordinal);
        return at >= 0 && path.IndexOf("/memberships/", at, StringComparison.Ordinal) > at ? path[at..] : null;
    }

    private static bool ShouldRetry(Outcome<HttpResponseMessage> outcome, TimeSpan maxRetryAfter)
    {
        if (!HttpClientResiliencePredicates.IsTransient(outcome))
        {
            return false;
        }
        // A 429 asking for a longer pause than we hold a message for ends the call; the edge schedules the retry.
        if (outcome.Result is { StatusCode: HttpStatusCode.TooManyRequests, Headers.RetryAfter: { } retryAfter })
        {
            var delay = retryAfter.Delta ?? (retryAfter.Date - DateTimeOffset.UtcNow);
            return delay is null || delay <= maxRetryAfter;
        }
        return true;
    }
}
