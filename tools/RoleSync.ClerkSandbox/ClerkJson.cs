using System.Text.Json.Serialization;

namespace RoleSync.ClerkSandbox;

// Wire shapes of the Clerk Backend API (snake_case, as Clerk sends them).

internal sealed record ErrorResponse(
    IReadOnlyList<ErrorItem> Errors,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? ClerkTraceId);

internal sealed record ErrorItem(
    string Message,
    string LongMessage,
    string Code,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyDictionary<string, string>? Meta);

internal sealed record MembershipResponse(
    string Object,
    string Id,
    string Role,
    string RoleName,
    IReadOnlyList<string> Permissions,
    IReadOnlyDictionary<string, string> PublicMetadata,
    IReadOnlyDictionary<string, string> PrivateMetadata,
    long CreatedAt,
    long UpdatedAt,
    OrganizationResponse Organization,
    PublicUserDataResponse PublicUserData);

internal sealed record OrganizationResponse(string Object, string Id, string Name, string Slug);

internal sealed record PublicUserDataResponse(string UserId, string Identifier, string? FirstName, string? LastName);

internal sealed record MembershipListResponse(IReadOnlyList<MembershipResponse> Data, int TotalCount);

internal sealed record UserResponse(
    string Object,
    string Id,
    string? ExternalId,
    string? PrimaryEmailAddressId,
    IReadOnlyList<EmailAddressResponse> EmailAddresses,
    bool Banned,
    bool Locked,
    long CreatedAt,
    long UpdatedAt);

internal sealed record EmailAddressResponse(string Id, string Object, string EmailAddress, VerificationResponse Verification);

internal sealed record VerificationResponse(string Status);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(ErrorResponse))]
[JsonSerializable(typeof(MembershipResponse))]
[JsonSerializable(typeof(MembershipListResponse))]
[JsonSerializable(typeof(IReadOnlyList<UserResponse>))]
internal sealed partial class ClerkJsonContext : JsonSerializerContext;

// The seed file: {"secretKeys":[…],"users":[{"id":…,"externalId":…,"emailAddresses":[…]}],
//   "organizations":[{"id":…,"roles":[…],"maxMembers":…,"members":[{"userId":…,"role":…,"managedByDirectory":false}]}]}

internal sealed record SandboxSeed(IReadOnlyList<string>? SecretKeys = null, IReadOnlyList<SeedOrganization>? Organizations = null, IReadOnlyList<SeedUser>? Users = null);

internal sealed record SeedUser(string Id, string? ExternalId = null, IReadOnlyList<string>? EmailAddresses = null);

internal sealed record SeedOrganization(string Id, IReadOnlyList<string>? Roles = null, IReadOnlyList<SeedMember>? Members = null, int? MaxMembers = null);

internal sealed record SeedMember(string UserId, string Role, bool ManagedByDirectory = false);

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    PropertyNameCaseInsensitive = true,
    ReadCommentHandling = System.Text.Json.JsonCommentHandling.Skip,
    AllowTrailingCommas = true,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    RespectNullableAnnotations = true,
    RespectRequiredConstructorParameters = true)]
[JsonSerializable(typeof(SandboxSeed))]
internal sealed partial class SeedJsonContext : JsonSerializerContext;
