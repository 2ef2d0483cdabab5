using System.Net.Http.Json;
using System.Text.Json;

namespace RoleSync.Clerk;

/// <summary>Reads a Clerk error answer (or what answered instead of Clerk) into a <see cref="ClerkError"/>.</summary>
internal static class ClerkErrorReader
{
    /// <summary>The error of a non-success answer: Clerk's body when it has one, else the status, plus trace id, Retry-After and <see cref="ClerkError.FromClerk"/>.</summary>
    public static async Task<ClerkError> ReadAsync(HttpResponseMessage response, TimeProvider timeProvider, CancellationToken cancellationToken)
    {
        int status = (int)response.StatusCode;
        ErrorsDto? body = null;
        try
        {
            body = await response.Content.ReadFromJsonAsync(ClerkJsonContext.Default.ErrorsDto, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is JsonException or NotSupportedException or InvalidOperationException)
        {
            // Not Clerk's JSON error shape (a proxy page, an empty 429): keep the status and the trace header.
        }
        var first = body?.Errors is [var e, ..] ? e : null;
        var cfRay = CfRay(response);
        return new ClerkError(
            status,
            first?.Code ?? $"http_{status}",
            first?.Message ?? response.ReasonPhrase ?? $"HTTP {status}",
            first?.LongMessage,
            first?.Meta?.ParamName,
            body?.ClerkTraceId ?? cfRay,
            RetryAfter(response, timeProvider))
        {
            // Clerk's evidence; a proxy, a gateway page or a wrong Clerk:ApiUrl has none of it.
            FromClerk = !string.IsNullOrEmpty(body?.ClerkTraceId)
                || cfRay is not null
                || (body?.Errors?.Exists(error => !string.IsNullOrEmpty(error.Code)) ?? false),
        };
    }

    private static TimeSpan? RetryAfter(HttpResponseMessage response, TimeProvider timeProvider) => response.Headers.RetryAfter switch
    {
        { Delta: { } delta } => delta,
        { Date: { } date } => date - timeProvider.GetUtcNow() is var d && d > TimeSpan.Zero ? d : TimeSpan.Zero,
        _ => null,
    };

    /// <summary>Cloudflare's request id, which identifies a Clerk request when the body has no <c>clerk_trace_id</c>.</summary>
    public static string? CfRay(HttpResponseMessage response) =>
        response.Headers.TryGetValues("cf-ray", out var values) ? values.FirstOrDefault() : null;
}
