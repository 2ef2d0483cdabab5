using System.Text.Json.Serialization;

namespace RoleSync.Clerk;

/// <summary>The part of Clerk's OrganizationMembership that RoleSync uses.</summary>
public sealed record ClerkMembership(string Id, string OrganizationId, string UserId, string Role);

/// <summary>
/// A failed Clerk call. <see cref="StatusCode"/> is null when no response arrived (network failure, timeout,
/// the client-side rate limiter gave up); <see cref="Code"/> is Clerk's error code, or a RoleSync code then.
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
    public const string UnreadableResponse = "unreadable_response";

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

/// <summary>The outcome of one Clerk call: a membership, no membership (GET only), or an error.</summary>
public sealed record ClerkResult(ClerkMembership? Membership, ClerkError? Error)
{
    public bool IsSuccess => Error is null;

    public static ClerkResult Success(ClerkMembership? membership) => new(membership, null);

    public static ClerkResult Failure(ClerkError error) => new(null, error);
}

// Wire shapes (snake_case, as Clerk sends them).
internal sealed record MembershipDto(
    [property: JsonPropertyName("id")] string? Id,
    [property: JsonPropertyName("role")] string? Role,
    [property: JsonPropertyName("organization")] OrganizationDto? Organization,
    [property: JsonPropertyName("public_user_data")] PublicUserDataDto? PublicUserData);

internal sealed record OrganizationDto([property: JsonPropertyName("id")] string? Id);

internal sealed record PublicUserDataDto([property: JsonPropertyName("user_id")] string? UserId);

internal sealed record MembershipListDto(
    [property: JsonPropertyName("data")] List<MembershipDto>? Data,
    [property: JsonPropertyName("total_count")] long TotalCount);

internal sealed record ErrorsDto(
    [property: JsonPropertyName("errors")] List<ErrorDto>? Errors,
    [property: JsonPropertyName("clerk_trace_id")] string? ClerkTraceId);

internal sealed record ErrorDto(
    [property: JsonPropertyName("message")] string? Message,
    [property: JsonPropertyName("long_message")] string? LongMessage,
    [property: JsonPropertyName("code")] string? Code,
    [property: JsonPropertyName("meta")] ErrorMetaDto? Meta);

internal sealed record ErrorMetaDto([property: JsonPropertyName("param_name")] string? ParamName);

internal sealed record UpdateRoleDto([property: JsonPropertyName("role")] string Role);

[JsonSerializable(typeof(MembershipDto))]
[JsonSerializable(typeof(MembershipListDto))]
[JsonSerializable(typeof(ErrorsDto))]
[JsonSerializable(typeof(UpdateRoleDto))]
internal sealed partial class ClerkJsonContext : JsonSerializerContext;
