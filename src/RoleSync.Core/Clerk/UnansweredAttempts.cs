using Polly;
using Polly.Retry;
using Polly.RateLimiting;

namespace RoleSync.Clerk;

/// <summary>
/// Remembers, on the request itself (<see cref="HttpRequestMessage.Options"/>), that an attempt of it went unanswered
/// after it may have reached Clerk: the retry strategy's <c>OnRetry</c> records it (<see cref="ClerkResilience"/>),
/// <see cref="ClerkClient"/> reads it into <see cref="ClerkResult.Ambiguous"/>.
/// </summary>
internal static class UnansweredAttempts
{
    private static readonly HttpRequestOptionsKey<bool> Key = new("RoleSync.Clerk.UnansweredAttempt");

    /// <summary>Called before each in-process retry with the outcome of the attempt that failed.</summary>
    public static ValueTask OnRetry(OnRetryArguments<HttpResponseMessage> args)
    {
        if (args.Outcome.Exception is { } exception && MayHaveReachedClerk(exception))
        {
            args.Context.GetRequestMessage()?.Options.Set(Key, true);
        }
        return ValueTask.CompletedTask;
    }

    /// <summary>An earlier attempt of this request went unanswered.</summary>
    public static bool Any(HttpRequestMessage request) => request.Options.TryGetValue(Key, out bool unanswered) && unanswered;

    /// <summary>
    /// No answer, and the request may have left: everything but a refused permit and a connection that was never made
    /// (a timeout counts even when it struck while waiting for a permit: it cannot be told apart).
    /// </summary>
    public static bool MayHaveReachedClerk(Exception exception) => exception switch
    {
        RateLimiterRejectedException => false,
        HttpRequestException
        {
            HttpRequestError: HttpRequestError.NameResolutionError or HttpRequestError.ConnectionError
                or HttpRequestError.SecureConnectionError or HttpRequestError.ProxyTunnelError,
        } => false,
        _ => true,
    };
}
