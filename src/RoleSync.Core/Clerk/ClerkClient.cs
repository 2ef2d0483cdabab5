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
/// Typed client for the Clerk Backend API calls RoleSync makes: PATCH a membership's role, read memberships (one, up
/// to 100 users, or a page of the organization). Base address, version headers and the resilience pipeline (retries,
/// timeouts, rate limiter) are attached at registration (<see cref="RoleSyncCoreExtensions.AddRoleSyncClerk{TBuilder}"/>);
/// this class adds the secret key per request, refreshes it once when Clerk itself answers 401, and turns every answer
/// into a result (a PATCH whose attempts went unanswered is <see cref="ClerkResult.Ambiguous"/>). It throws only when
/// the secret key cannot be had (<see cref="ClerkSecretUnavailableException"/>), an argument is invalid, or the caller cancels.
/// </summary>
public sealed class ClerkClient(HttpClient httpClient, IClerkSecretProvider secrets, TimeProvider timeProvider)
{
    /// <summary>Tells the rate limiter which budget a request draws from (set per request from the key).</summary>
    internal static readonly HttpRequestOptionsKey<bool> LiveKeyOption = new("RoleSync.Clerk.LiveKey");

    /// <summary>The most <c>user_id</c> values Clerk takes in one list request.</summary>
    public const int MaxUserIdsPerRequest = 100;

    /// <summary>The largest page (<c>limit</c>) of a list request.</summary>
    public const int MaxPageSize = 500;

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

    /// <summary>
    /// <c>GET /v1/organizations/{organizationId}/memberships?user_id=…&amp;user_id=…&amp;limit=100</c>: the memberships of
    /// these users (up to <see cref="MaxUserIdsPerRequest"/>, duplicates ignored) in one request; a user without a
    /// membership is simply absent. An answer holding a user not asked for, or fewer memberships than its
    /// <c>total_count</c>, is an <see cref="ClerkError.UnreadableResponse"/> (the filter was not applied).
    /// </summary>
    /// <exception cref="ArgumentException">An ID is not a valid Clerk ID, or there are no user IDs or more than 100.</exception>
    public async Task<ClerkListResult> ListMembershipsAsync(string organizationId, IReadOnlyList<string> userIds, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(userIds);
        var wanted = userIds.ToHashSet(StringComparer.Ordinal);
        if (wanted.Count is 0 or > MaxUserIdsPerRequest)
        {
            throw new ArgumentOutOfRangeException(nameof(userIds), wanted.Count, $"Between 1 and {MaxUserIdsPerRequest} user IDs per request.");
        }
        var filter = string.Join("&", wanted.Select(id => "user_id=" + CheckedId(id, ClerkIds.UserPrefix)));
        var path = $"v1/organizations/{CheckedId(organizationId, ClerkIds.OrganizationPrefix)}/memberships?{filter}&limit={MaxUserIdsPerRequest}";
        return ToListResult(await SendAsync(
            () => new HttpRequestMessage(HttpMethod.Get, path),
            async (response, ct) =>
            {
                var page = await ReadListAsync(response, organizationId, ct).ConfigureAwait(false);
                if (page.Memberships.FirstOrDefault(m => !wanted.Contains(m.UserId)) is { } stray)
                {
                    throw new JsonException($"the answer holds {stray.UserId}, which was not asked for");
                }
                return page.TotalCount > page.Memberships.Count
                    ? throw new JsonException($"the answer holds {page.Memberships.Count} of {page.TotalCount} memberships")
                    : page;
            },
            cancellationToken).ConfigureAwait(false));
    }

    /// <summary>
    /// <c>GET /v1/organizations/{organizationId}/memberships?limit={limit}&amp;offset={offset}</c>: one page of all the
    /// organization's memberships; page on while <c>offset + Memberships.Count &lt; TotalCount</c>.
    /// </summary>
    /// <exception cref="ArgumentException">The ID is not a valid Clerk ID, <paramref name="limit"/> is not 1–500 or <paramref name="offset"/> is negative.</exception>
    public async Task<ClerkListResult> ListMembershipsPageAsync(string organizationId, int offset, int limit = MaxPageSize, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(limit, MaxPageSize);
        var path = FormattableString.Invariant($"v1/organizations/{CheckedId(organizationId, ClerkIds.OrganizationPrefix)}/memberships?limit={limit}&offset={offset}");
        return ToListResult(await SendAsync(
            () => new HttpRequestMessage(HttpMethod.Get, path),
            (response, ct) => ReadListAsync(response, organizationId, ct),
            cancellationToken).ConfigureAwait(false));
    }

    private static ClerkListResult ToListResult(Reply<ClerkListResult> reply) =>
        reply.Error is { } error ? ClerkListResult.Failure(error) : reply.Value!;

    /// <summary>A list answer: every entry names its user, and its organization if any is the one asked for.</summary>
    private static async Task<ClerkListResult> ReadListAsync(HttpResponseMessage response, string organizationId, CancellationToken cancellationToken)
    {
        var list = await response.Content.ReadFromJsonAsync(ClerkJsonContext.Default.MembershipListDto, cancellationToken).ConfigureAwait(false)
            ?? throw new JsonException("the answer is null");
        var memberships = new List<ClerkMembership>(list.Data?.Count ?? 0);
        foreach (var dto in list.Data ?? [])
        {
            if (dto.PublicUserData?.UserId is not { Length: > 0 } userId || (dto.Organization?.Id is { } org && org != organizationId))
            {
                throw new JsonException($"a membership of the answer names no user or another organization ({dto.Id})");
            }
            memberships.Add(ToMembership(dto, organizationId, userId));
        }
        return ClerkListResult.Success(memberships, list.TotalCount);
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
                return Failure(await ClerkErrorReader.ReadAsync(response, timeProvider, cancellationToken).ConfigureAwait(false));
            }
            try
            {
                return new(await readSuccess(response, cancellationToken).ConfigureAwait(false), null, write && UnansweredAttempts.Any(request));
            }
            catch (JsonException ex)
            {
                return Failure(new ClerkError((int)response.StatusCode, ClerkError.UnreadableResponse,
                    $"The success response is not the expected JSON ({ex.Message})", TraceId: ClerkErrorReader.CfRay(response)));
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
        catch (RateLimiterRejectedException) when (cancellationToken.IsCancellationRequested)
        {
            throw new OperationCanceledException(cancellationToken); // the caller gave up while the request waited for a permit
        }
        catch (RateLimiterRejectedException ex)
        {
            return Failure(new ClerkError(null, ClerkError.Throttled,
                "This host's share of the Clerk budget had no permit free within Clerk:TotalTimeout (Clerk's limit spent: a 429 paused every request); nothing was sent",
                RetryAfter: null), ex);
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

    /// <summary>IDs are validated before they touch a URL, and escaped anyway.</summary>
    private static string CheckedId(string id, string prefix) =>
        ClerkIds.IsValid(id, prefix)
            ? Uri.EscapeDataString(id)
            : throw new ArgumentException($"Not a valid Clerk ID with prefix '{prefix}'.", nameof(id));
}
