namespace RoleSync.ClerkSandbox;

/// <summary>
/// A held PATCH (<see cref="PatchHold"/>) that the sandbox applied late. <paramref name="StatusCode"/> and
/// <paramref name="ErrorCode"/> are what Clerk's rules said when it landed (200 and null when the role was set, else
/// the error it would have answered); the client never saw either.
/// </summary>
public sealed record LandedPatch(
    DateTimeOffset ReceivedAt,
    DateTimeOffset LandedAt,
    string OrganizationId,
    string UserId,
    string Role,
    int StatusCode,
    string? ErrorCode);
