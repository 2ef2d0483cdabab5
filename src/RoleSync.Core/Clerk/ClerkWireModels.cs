using System.Text.Json.Serialization;

namespace RoleSync.Clerk;

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

internal sealed record CreateMembershipDto(
    [property: JsonPropertyName("user_id")] string UserId,
    [property: JsonPropertyName("role")] string Role);

internal sealed record UserDto(
    [property: JsonPropertyName("id")] string? Id,
    [property: JsonPropertyName("external_id")] string? ExternalId,
    [property: JsonPropertyName("email_addresses")] List<EmailAddressDto>? EmailAddresses);

internal sealed record EmailAddressDto([property: JsonPropertyName("email_address")] string? EmailAddress);

[JsonSerializable(typeof(MembershipDto))]
[JsonSerializable(typeof(MembershipListDto))]
[JsonSerializable(typeof(ErrorsDto))]
[JsonSerializable(typeof(UpdateRoleDto))]
[JsonSerializable(typeof(CreateMembershipDto))]
[JsonSerializable(typeof(List<UserDto>))]
internal sealed partial class ClerkJsonContext : JsonSerializerContext;
