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
    /// <see cref="ClerkOptions.MaxInProcessRetryAfter"/>) → rate limiter (every attempt takes a permit) → attempt timeout.
    /// </summary>
    public static void Configure(ResiliencePipelineBuilder<HttpResponseMessage> builder, ClerkOptions options, ClerkRateLimiter limiter)
    {
        builder
            .AddTimeout(options.TotalTimeout)
            .AddRetry(new HttpRetryStrategyOptions
            {
                MaxRetryAttempts = Math.Max(options.MaxRetryAttempts, 1),
                ShouldHandle = options.MaxRetryAttempts == 0
                    ? static _ => PredicateResult.False()
                    : args => ValueTask.FromResult(ShouldRetry(args.Outcome, options.MaxInProcessRetryAfter)),
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
                    args.Context.GetRequestMessage()?.Options.TryGetValue(ClerkClient.LiveKeyOption, out var live) == true && live,
                    args.Context.CancellationToken),
            })
            .AddTimeout(options.AttemptTimeout);
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
