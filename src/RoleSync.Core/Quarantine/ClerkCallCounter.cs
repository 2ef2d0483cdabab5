using System.Net;
using Polly.Timeout;

namespace RoleSync.Quarantine;

/// <summary>
/// The outermost handler of the Clerk <see cref="HttpClient"/> (before the resilience pipeline): counts each call, its
/// in-process retries included, once in <see cref="ClerkCallWindow"/>. A transient failure is a 5xx or 408 answer, a
/// timeout or a network error; a 429 is the budget's business and not counted; neither is this host's own limiter holding the call (it throws past this handler uncounted).
/// </summary>
public sealed class ClerkCallCounter(ClerkCallWindow window) : DelegatingHandler
{
    /// <inheritdoc/>
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        HttpResponseMessage response;
        try
        {
            response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is TimeoutRejectedException or HttpRequestException
            || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            window.Record(failedTransiently: true);
            throw;
        }
        var status = (int)response.StatusCode;
        if (response.StatusCode != HttpStatusCode.TooManyRequests)
        {
            window.Record(failedTransiently: status is 408 or >= 500);
        }
        return response;
    }
}
