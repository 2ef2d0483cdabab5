using Azure.Core;
using Azure.Messaging.ServiceBus;

namespace RoleSync.AzureAdapters;

/// <summary>
/// The retry bounds of every Azure client one message attempt waits on, so the sum fits in the attempt deadline and
/// <c>functionTimeout</c> (README, "The retry budget"). The SDK defaults are far longer: Table Storage and Key Vault
/// 4 tries of up to 100 s each; Service Bus 4 tries of up to 60 s each.
/// </summary>
public static class AzureClientRetry
{
    /// <summary>Retries after the first try, Table Storage and Key Vault.</summary>
    public const int MaxRetries = 2;

    /// <summary>Retries after the first try, Service Bus (the sender of retry copies; host.json sets the same for the trigger's client).</summary>
    public const int ServiceBusMaxRetries = 1;

    /// <summary>The timeout of one try (a network timeout, or Service Bus's TryTimeout).</summary>
    public static readonly TimeSpan TryTimeout = TimeSpan.FromSeconds(10);

    /// <summary>The first backoff; it doubles (with jitter) up to <see cref="MaxDelay"/>.</summary>
    public static readonly TimeSpan Delay = TimeSpan.FromMilliseconds(500);

    /// <summary>The longest backoff between tries.</summary>
    public static readonly TimeSpan MaxDelay = TimeSpan.FromSeconds(2);

    /// <summary>
    /// Table Storage and Key Vault: 3 tries of ≤ 10 s, backoffs of ≤ 0.6 s and ≤ 1.2 s, so ≤ 31.8 s per call (plus a
    /// Retry-After the service itself asks for, which Azure.Core honours; the attempt deadline still ends the call).
    /// </summary>
    public static void Bound(RetryOptions retry)
    {
        ArgumentNullException.ThrowIfNull(retry);
        retry.Mode = RetryMode.Exponential;
        retry.MaxRetries = MaxRetries;
        retry.Delay = Delay;
        retry.MaxDelay = MaxDelay;
        retry.NetworkTimeout = TryTimeout;
    }

    /// <summary>
    /// Service Bus: 2 tries of ≤ 10 s and one backoff of ≤ 2 s, so ≤ 22 s per operation (each try waits 10 s more
    /// while the namespace reports itself busy: ≤ 42 s).
    /// </summary>
    public static void Bound(ServiceBusRetryOptions retry)
    {
        ArgumentNullException.ThrowIfNull(retry);
        retry.Mode = ServiceBusRetryMode.Exponential;
        retry.MaxRetries = ServiceBusMaxRetries;
        retry.Delay = Delay;
        retry.MaxDelay = MaxDelay;
        retry.TryTimeout = TryTimeout;
    }
}
