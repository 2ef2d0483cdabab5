using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Primitives;

namespace RoleSync.ClerkSandbox;

/// <summary>The HTTP surface: one middleware for what every request goes through, and the two Clerk endpoints.</summary>
internal sealed partial class ClerkApi(SandboxState state, FaultPlan faults, PatchHolds holds, RequestJournal journal, ClerkSandboxOptions options)
{
    private const string BearerPrefix = "Bearer ";

    /// <summary>Clerk takes up to 100 values of a repeatable filter such as <c>user_id</c>.</summary>
    private const int MaxFilterValues = 100;

    private readonly TimeProvider _clock = options.TimeProvider;
    private readonly FixedWindowLimiter? _instanceLimiter =
        options.InstanceLimit > 0 ? new(options.InstanceLimit, options.InstanceWindow) : null;
    private readonly int _membershipLimit = options.MembershipLimit;
    private readonly TimeSpan _membershipWindow = options.MembershipWindow;
    private readonly ConcurrentDictionary<(string OrganizationId, string UserId), FixedWindowLimiter> _membershipLimiters = new();

    public void Map(WebApplication app)
    {
        app.Use(ScreenAsync);
        app.MapPatch("/v1/organizations/{organizationId}/memberships/{userId}", UpdateMembership);
        app.MapGet("/v1/organizations/{organizationId}/memberships", ListMemberships);
        app.MapPost("/v1/organizations/{organizationId}/memberships", CreateMembership);
        app.MapDelete("/v1/organizations/{organizationId}/memberships/{userId}", DeleteMembership);
        app.MapGet("/v1/users", FindUsers);
        app.MapFallback("{**path}", () => Error(ClerkError.RouteNotFound));
    }

    /// <summary>Recording, latency, injected faults (drop → proxy → fail → 429), authentication and the instance rate limit.</summary>
    private async Task ScreenAsync(HttpContext http, RequestDelegate next)
    {
        var request = http.Request;
        long sequence = journal.Arrive(HttpMethods.IsPatch(request.Method));
        var receivedAt = _clock.GetUtcNow();
        string body = await ReadBodyAsync(http);
        var record = journal.RecordRequests ? new PendingRecord(journal, sequence, http, receivedAt, body) : null;
        http.Features.Set(new ArrivalFeature(body, sequence, receivedAt, record));
        if (record is not null)
        {
            // Recorded as the response starts, so the record exists before the client can see the answer.
            http.Response.OnStarting(static state => ((PendingRecord)state).CompleteAsync(), record);
        }

        var latency = faults.Latency;
        if (latency > TimeSpan.Zero)
        {
            try
            {
                await Task.Delay(latency, http.RequestAborted);
            }
            catch (OperationCanceledException) when (http.RequestAborted.IsCancellationRequested)
            {
                record?.Complete(statusCode: 0); // the client gave up: no response
                return;
            }
        }

        if (faults.TryTakeDrop())
        {
            record?.Complete(statusCode: 0);
            http.Abort();
            return;
        }

        if (Screen(request) is { } rejection)
        {
            await rejection.ExecuteAsync(http);
            return;
        }

        await next(http);
    }

    private IResult? Screen(HttpRequest request)
    {
        if (faults.TryTakeProxyFail(out int proxyStatus, out var page))
        {
            return new ProxyErrorResult(proxyStatus, page);
        }

        if (faults.TryTakeFail(out int statusCode))
        {
            return Error(ClerkError.ForStatus(statusCode));
        }

        if (faults.TryTakeRateLimit(out var retryAfter))
        {
            return Error(ClerkError.TooManyRequests, ClerkErrorResult.ToSeconds(retryAfter));
        }

        string? authorization = request.Headers.Authorization;
        if (authorization is null || !authorization.StartsWith(BearerPrefix, StringComparison.Ordinal))
        {
            return Error(ClerkError.AuthorizationHeaderFormatInvalid);
        }

        if (!state.IsSecretKeyAccepted(authorization[BearerPrefix.Length..]))
        {
            return Error(ClerkError.SecretKeyInvalid);
        }

        if (_instanceLimiter is not null && !_instanceLimiter.TryAcquire(_clock.GetUtcNow(), out var windowLeft))
        {
            return RateLimited(windowLeft);
        }

        return null;
    }

    /// <summary>PATCH /v1/organizations/{organization_id}/memberships/{user_id} with {"role":"org:…"}; a <see cref="PatchHold"/> may hold it.</summary>
    private IResult UpdateMembership(string organizationId, string userId, HttpContext http)
    {
        var arrival = http.Features.GetRequiredFeature<ArrivalFeature>();
        if (ReadRole(arrival.Body, out string role) is { } invalid)
        {
            return Error(invalid);
        }

        if (MembershipRateLimit(organizationId, userId) is { } limited)
        {
            return limited;
        }

        if (holds.TryHold(organizationId, userId, role, arrival.Sequence, arrival.ReceivedAt, arrival.Record) is { } held)
        {
            return held;
        }

        var outcome = state.UpdateRole(organizationId, userId, role, out var membership);
        if (ClerkError.ForOutcome(outcome) is { } error)
        {
            return Error(error);
        }

        holds.OnApplied(organizationId, userId); // may land held PATCHes: before this one is answered
        return Results.Json(membership, ClerkJsonContext.Default.MembershipResponse);
    }

    /// <summary>GET /v1/organizations/{organization_id}/memberships?user_id=…&amp;user_id=…&amp;limit=…&amp;offset=… (up to 100 user_id values, limit 1–500).</summary>
    private IResult ListMemberships(string organizationId, HttpContext http)
    {
        var query = http.Request.Query;
        if (!TryReadInt(query["limit"], fallback: 10, min: 1, max: 500, out int limit))
        {
            return Error(ClerkError.ParamInvalid("limit"));
        }

        if (!TryReadInt(query["offset"], fallback: 0, min: 0, max: int.MaxValue, out int offset))
        {
            return Error(ClerkError.ParamInvalid("offset"));
        }

        var userIdValues = query["user_id"];
        if (userIdValues.Count > MaxFilterValues)
        {
            return Error(ClerkError.ParamInvalid("user_id"));
        }

        var userIds = userIdValues.OfType<string>().Where(id => id.Length > 0).ToHashSet(StringComparer.Ordinal);
        return state.ListMemberships(organizationId, userIds, limit, offset) is { } list
            ? Results.Json(list, ClerkJsonContext.Default.MembershipListResponse)
            : Error(ClerkError.OrganizationNotFound);
    }

    /// <summary>The per-membership write limit (PATCH, and here also POST and DELETE of the membership); null when within it.</summary>
    private ClerkErrorResult? MembershipRateLimit(string organizationId, string userId)
    {
        if (_membershipLimit <= 0)
        {
            return null;
        }

        var limiter = _membershipLimiters.GetOrAdd(
            (organizationId, userId),
            static (_, api) => new FixedWindowLimiter(api._membershipLimit, api._membershipWindow),
            this);
        return limiter.TryAcquire(_clock.GetUtcNow(), out var windowLeft) ? null : RateLimited(windowLeft);
    }

    private ClerkErrorResult Error(ClerkError error, int? retryAfterSeconds = null)
    {
        if (error.StatusCode == StatusCodes.Status429TooManyRequests)
        {
            journal.CountRateLimited();
        }

        return new ClerkErrorResult(error, faults.OmitTraceId, retryAfterSeconds);
    }

    private ClerkErrorResult RateLimited(TimeSpan windowLeft) =>
        Error(ClerkError.TooManyRequests, Math.Max(1, ClerkErrorResult.ToSeconds(windowLeft)));

    /// <summary>Null when the body is a JSON object whose only property is a string "role"; else the error Clerk answers.</summary>
    private static ClerkError? ReadRole(string body, out string role)
    {
        role = "";
        if (string.IsNullOrWhiteSpace(body))
        {
            return ClerkError.ParamMissing("role");
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body);
        }
        catch (JsonException)
        {
            return ClerkError.ParamInvalid("role");
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                return ClerkError.ParamInvalid("role");
            }

            JsonElement? value = null;
            foreach (var property in document.RootElement.EnumerateObject())
            {
                if (property.Name != "role")
                {
                    return ClerkError.ParamUnknown(property.Name);
                }

                value = property.Value;
            }

            switch (value?.ValueKind)
            {
                case null or JsonValueKind.Null:
                    return ClerkError.ParamMissing("role");
                case JsonValueKind.String:
                    role = value.Value.GetString()!;
                    return null;
                default:
                    return ClerkError.ParamInvalid("role");
            }
        }
    }

    private static bool TryReadInt(StringValues values, int fallback, int min, int max, out int value)
    {
        value = fallback;
        return values.Count == 0
            || (values.Count == 1
                && int.TryParse(values[0], NumberStyles.None, CultureInfo.InvariantCulture, out value)
                && value >= min
                && value <= max);
    }

    private static async Task<string> ReadBodyAsync(HttpContext http)
    {
        if (http.Request.ContentLength == 0 || http.Features.Get<IHttpRequestBodyDetectionFeature>() is { CanHaveBody: false })
        {
            return "";
        }

        using var reader = new StreamReader(http.Request.Body, Encoding.UTF8, detectEncodingFromByteOrderMarks: false, leaveOpen: true);
        return await reader.ReadToEndAsync(http.RequestAborted);
    }

    /// <summary>What the screening middleware learned of a request, for the endpoints.</summary>
    private sealed record ArrivalFeature(string Body, long Sequence, DateTimeOffset ReceivedAt, PendingRecord? Record);
}
