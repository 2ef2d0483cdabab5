using System.Net;
using System.Net.Http.Headers;

namespace RoleSync.LoadTest;

/// <summary>
/// The customer's own product calling Clerk's Backend API on the same key: GETs on a schedule fixed in advance (open
/// loop: a slow or refused answer does not slow the stream), counting its own 429s, from "go" until "stop".
/// </summary>
internal static class CustomerApp
{
    public static async Task<int> RunAsync(VariantSpec spec)
    {
        var load = spec.App ?? throw new InvalidOperationException("The customer app needs its load.");
        using var http = new HttpClient { BaseAddress = spec.ClerkUrl, Timeout = TimeSpan.FromSeconds(30) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", spec.ClerkKey);
        http.DefaultRequestHeaders.UserAgent.ParseAdd(AppLoad.UserAgent);
        var path = new Uri($"v1/organizations/{AppLoad.Organization}/memberships?limit=10", UriKind.Relative);
        using (await http.GetAsync(path).ConfigureAwait(false))
        {
            // one request before "go": connection and JIT (the orchestrator clears the sandbox's counters at go)
        }
        Console.WriteLine(Protocol.Ready);
        if (await Console.In.ReadLineAsync().ConfigureAwait(false) != Protocol.Go)
        {
            return 3;
        }

        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(spec.MaxSeconds));
        _ = Task.Run(async () =>
        {
            while (await Console.In.ReadLineAsync().ConfigureAwait(false) is { } line && line != Protocol.Stop)
            {
            }
            await stop.CancelAsync().ConfigureAwait(false);
        });

        int ok = 0, rateLimited = 0, errors = 0;
        async Task SendAsync()
        {
            try
            {
                using var response = await http.GetAsync(path).ConfigureAwait(false);
                if (response.StatusCode == HttpStatusCode.TooManyRequests)
                {
                    Interlocked.Increment(ref rateLimited);
                }
                else if (response.IsSuccessStatusCode)
                {
                    Interlocked.Increment(ref ok);
                }
                else
                {
                    Interlocked.Increment(ref errors);
                }
            }
            catch (HttpRequestException)
            {
                Interlocked.Increment(ref errors);
            }
            catch (TaskCanceledException)
            {
                Interlocked.Increment(ref errors);
            }
        }

        var go = DateTimeOffset.UtcNow;
        DateTimeOffset? burstFrom = null, burstTo = null;
        if (load.BurstSeconds > 0 && load.BurstRatePer10Seconds > 0)
        {
            // From a 10-s window boundary (the windows Clerk and the sandbox count in), so the report's windows line up.
            long window = TimeSpan.FromSeconds(10).Ticks;
            long from = (go.AddSeconds(load.BurstAfterSeconds).UtcTicks + window - 1) / window * window;
            burstFrom = new DateTimeOffset(from, TimeSpan.Zero);
            burstTo = burstFrom.Value.AddSeconds(load.BurstSeconds);
        }
        var sent = new List<Task>();
        var next = go;
        while (!stop.IsCancellationRequested)
        {
            var now = DateTimeOffset.UtcNow;
            if (next > now)
            {
                try
                {
                    await Task.Delay(next - now, stop.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
            }
            sent.Add(SendAsync());
            bool bursting = burstFrom is { } f && next >= f && next < burstTo;
            next += TimeSpan.FromSeconds(10.0 / (bursting ? load.BurstRatePer10Seconds : load.RatePer10Seconds));
        }
        await Task.WhenAll(sent).ConfigureAwait(false);
        var result = new ScaleOutResult
        {
            AppSent = sent.Count,
            AppOk = ok,
            AppRateLimited = rateLimited,
            AppErrors = errors,
            BurstFrom = burstFrom,
            BurstTo = burstTo,
        };
        Console.WriteLine(Protocol.ResultPrefix + JsonSerializer.Serialize(result, ProtocolJson.Default.ScaleOutResult));
        return 0;
    }
}
