using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Polly.RateLimiting;
using Polly.Timeout;
using RoleSync.Contract;
using RoleSync.Secrets;

namespace RoleSync.Clerk;

/// <summary>
/// Typed client for the two Clerk Backend API calls RoleSync makes. Base address, version headers and the
/// resilience pipeline (retries, timeouts, rate limiter) are attached at registration
/// (<see cref="RoleSyncCoreExtensions.AddRoleSyncClerk{TBuilder}"/>); this class adds the secret key per request, refreshes it
/// once when Clerk answers 401, and turns every answer into a <see cref="ClerkResult"/> (a PATCH whose attempts went
/// unanswered is <see cref="ClerkResult.Ambiguous"/>). It throws only when the
/// secret key cannot be had (<see cref="ClerkSecretUnavailableException"/>) or the caller cancels.
/// </summary>
public sealed class ClerkClient(HttpClient httpClient, IClerkSecretProvider secrets, TimeProvider timeProvider)
{
    /// <summary>Tells the rate limiter which budget a request draws from (set per request from the key).</summary>
    internal static readonly HttpRequestOptionsKey<bool> LiveKeyOption = new("RoleSync.Clerk.LiveKey");

    /// <summary><c>PATCH /v1/organizations/{organizationId}/memberships/{userId}</c> with <c>{"role": role}</c>.</summary>
    public Task<ClerkResult> UpdateMembershipRoleAsync(string organizationId, string userId, string role, CancellationToken cancellationToken = default)
    {
        var path = $"v1/organizations/{CheckedId(organizationId, ClerkIds.OrganizationPrefix)}/memberships/{CheckedId(userId, ClerkIds.UserPrefix)}";
        if (!ClerkIds.IsRoleKey(role))
        {
            throw new ArgumentException("Not a valid Clerk role key.", nameof(role));
        }
        return ToResultAsync(SendAsync(
            () => new HttpRequestMessage(HttpMethod.Patch, path)
            {
                Content = JsonContent.Create(new UpdateRoleDto(role), ClerkJsonContext.Default.UpdateRoleDto),
            },
            ReadMembershipAsync,
            cancellationToken));
    }

    /// <summary>
    /// <c>GET /v1/organizations/{organizationId}/memberships?user_id={userId}</c>: the membership, or a success with
    /// no membership when the user is not a member.
    /// </summary>
    public Task<ClerkResult> GetMembershipAsync(string organizationId, string userId, CancellationToken cancellationToken = default)
    {
        var path = $"v1/organizations/{CheckedId(organizationId, ClerkIds.OrganizationPrefix)}/memberships?user_id={CheckedId(userId, ClerkIds.UserPrefix)}&limit=1";
        return ToResultAsync(SendAsync(
            () => new HttpRequestMessage(HttpMethod.Get, path),
            async (response, ct) =>
            {
                var list = await response.Content.ReadFromJsonAsync(ClerkJsonContext.Default.MembershipListDto, ct).ConfigureAwait(false);
                var match = list?.Data?.Find(m => m.PublicUserData?.UserId == userId);
                return match is null ? null : ToMembership(match, organizationId, userId);
            },
            cancellationToken));
    }

    private static async Task<ClerkResult> ToResultAsync(Task<Reply<ClerkMembership?>> sending)
    {
        var reply = await sending.ConfigureAwait(false);
        return new ClerkResult(reply.Value, reply.Error) { Ambiguous = reply.Ambiguous };
    }

    private async Task<Reply<T>> SendAsync<T>(
        Func<HttpRequestMessage> createRequest,
        Func<HttpResponseMessage, CancellationToken, Task<T>> readSuccess,
        CancellationToken cancellationToken)
    {
        var secret = await secrets.GetAsync(cancellationToken).ConfigureAwait(false);
        var reply = await SendOnceAsync(createRequest, readSuccess, secret, cancellationToken).ConfigureAwait(false);
        if (reply.Error is { StatusCode: (int)HttpStatusCode.Unauthorized, FromClerk: true })
        {
            // The key may have been rotated: read it again (once) and retry with the new one.
            var refreshed = await secrets.RefreshAsync(secret, cancellationToken).ConfigureAwait(false);
            if (!refreshed.Equals(secret))
            {
                var again = await SendOnceAsync(createRequest, readSuccess, refreshed, cancellationToken).ConfigureAwait(false);
                reply = again with { Ambiguous = again.Ambiguous || reply.Ambiguous };
            }
        }
        return reply;
    }

    private async Task<Reply<T>> SendOnceAsync<T>(
        Func<HttpRequestMessage> createRequest,
        Func<HttpResponseMessage, CancellationToken, Task<T>> readSuccess,
        ClerkSecret secret,
        CancellationToken cancellationToken)
    {
        using var request = createRequest();
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", secret.Reveal());
        request.Options.Set(LiveKeyOption, secret.IsLive);
        // A write is ambiguous when an attempt went unanswered (recorded by the retry strategy) or the call ends unanswered.
        bool write = request.Method != HttpMethod.Get;
        Reply<T> Failure(ClerkError error, Exception? unanswered = null) =>
            new(default, error, write && (UnansweredAttempts.Any(request) || (unanswered is not null && UnansweredAttempts.MayHaveReachedClerk(unanswered))));
        try
        {
            using var response = await httpClient.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                return Failure(await ReadErrorAsync(response, cancellationToken).ConfigureAwait(false));
            }
            try
            {
                return new(await readSuccess(response, cancellationToken).ConfigureAwait(false), null, write && UnansweredAttempts.Any(request));
            }
            catch (JsonException ex)
            {
                return Failure(new ClerkError((int)response.StatusCode, ClerkError.UnreadableResponse,
                    $"The success response is not the expected JSON ({ex.Message})", TraceId: CfRay(response)));
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (TimeoutRejectedException ex)
        {
            return Failure(new ClerkError(null, ClerkError.Timeout, $"No answer within {ex.Timeout.TotalSeconds:0.#} s"), ex);
        }
        catch (RateLimiterRejectedException ex)
        {
            return Failure(new ClerkError(null, ClerkError.Timeout, "The client-side rate limiter refused a permit", RetryAfter: null), ex);
        }
        catch (HttpRequestException ex)
        {
            var kind = ex.HttpRequestError == HttpRequestError.Unknown ? ex.GetType().Name : ex.HttpRequestError.ToString();
            return Failure(new ClerkError(null, ClerkError.NetworkError, $"{kind}: {ClerkSecret.Redact(ex.Message)}"), ex);
        }
        catch (OperationCanceledException ex)
        {
            return Failure(new ClerkError(null, ClerkError.Timeout, $"The request was canceled ({ex.Message})"), ex);
        }
    }

    /// <summary>One call's outcome before it becomes a public result: the value read, or the error; and whether a write is ambiguous.</summary>
    private readonly record struct Reply<T>(T? Value, ClerkError? Error, bool Ambiguous);

    private static async Task<ClerkMembership?> ReadMembershipAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var dto = await response.Content.ReadFromJsonAsync(ClerkJsonContext.Default.MembershipDto, cancellationToken).ConfigureAwait(false);
        return dto is null ? null : ToMembership(dto, dto.Organization?.Id ?? "", dto.PublicUserData?.UserId ?? "");
    }

    private static ClerkMembership ToMembership(MembershipDto dto, string organizationId, string userId) =>
        new(dto.Id ?? "", dto.Organization?.Id ?? organizationId, dto.PublicUserData?.UserId ?? userId, dto.Role ?? "");

    private async Task<ClerkError> ReadErrorAsync(HttpResponseMessage response, CancellationToken cancellationToken)
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
            RetryAfter(response))
        {
            // Clerk's evidence; a proxy, a gateway page or a wrong Clerk:ApiUrl has none of it.
            FromClerk = !string.IsNullOrEmpty(body?.ClerkTraceId)
                || cfRay is not null
                || (body?.Errors?.Exists(error => !string.IsNullOrEmpty(error.Code)) ?? false),
        };
    }

    private TimeSpan? RetryAfter(HttpResponseMessage response) => response.Headers.RetryAfter switch
    {
        { Delta: { } delta } => delta,
        { Date: { } date } => date - timeProvider.GetUtcNow() is var d && d > TimeSpan.Zero ? d : TimeSpan.Zero,
        _ => null,
    };

    private static string? CfRay(HttpResponseMessage response) =>
        response.Headers.TryGetValues("cf-ray", out var values) ? values.FirstOrDefault() : null;

    /// <summary>IDs are validated before they touch a URL, and escaped anyway.</summary>
    private static string CheckedId(string id, string prefix) =>
        ClerkIds.IsValid(id, prefix)
            ? Uri.EscapeDataString(id)
            : throw new ArgumentException($"Not a valid Clerk ID with prefix '{prefix}'.", nameof(id));
}
