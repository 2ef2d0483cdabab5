namespace RoleSync.Clerk;

/// <summary>
/// A failed Clerk call. <see cref="StatusCode"/> is null when no response arrived (network failure, timeout,
/// the client-side rate limiter gave up); <see cref="Code"/> is Clerk's error code, or a RoleSync code then.
/// <see cref="FromClerk"/> says whether the answer shows it came from Clerk at all.
/// </summary>
public sealed record ClerkError(
    int? StatusCode,
    string Code,
    string Message,
    string? LongMessage = null,
    string? ParamName = null,
    string? TraceId = null,
    TimeSpan? RetryAfter = null)
{
    public const string NetworkError = "network_error";
    public const string Timeout = "timeout";

    /// <summary>This host's rate limiter held the request until the call's time ran out: nothing was sent.</summary>
    public const string Throttled = "throttled";
    public const string UnreadableResponse = "unreadable_response";

    /// <summary>
    /// The error answer carries Clerk's evidence: an <c>errors[]</c> entry with a <c>code</c>, a <c>clerk_trace_id</c>,
    /// or a <c>cf-ray</c> header (set by <see cref="ClerkClient"/>). False when a proxy, a gateway page or a wrong
    /// <c>Clerk:ApiUrl</c> answered instead, and when nothing answered; <see cref="Processing.ClerkErrorPolicy"/> does
    /// not take such a 401/403/404 for Clerk's verdict.
    /// </summary>
    public bool FromClerk { get; init; }

    /// <summary>One line for logs and dead-letter descriptions: status, code, messages, trace id. Never the secret.</summary>
    public override string ToString()
    {
        var status = StatusCode is { } s ? $"Clerk answered {s}" : "Clerk call failed";
        var longMessage = string.IsNullOrEmpty(LongMessage) || LongMessage == Message ? "" : $" ({LongMessage})";
        var param = ParamName is null ? "" : $" [param {ParamName}]";
        var trace = TraceId is null ? "" : $" trace {TraceId}";
        var retry = RetryAfter is { } r ? $" retry after {r.TotalSeconds:0.#}s" : "";
        return $"{status} {Code}: {Message}{longMessage}{param}{trace}{retry}";
    }
}
