namespace RoleSync.ClerkSandbox;

/// <summary>One membership as <see cref="ClerkSandbox.GetMemberships"/> reports it.</summary>
/// <param name="OrganizationId">The organization (<c>org_…</c>).</param>
/// <param name="UserId">The member (<c>user_…</c>).</param>
/// <param name="Role">The role the member holds now (<c>org:…</c>).</param>
public sealed record SandboxMembership(string OrganizationId, string UserId, string Role);
