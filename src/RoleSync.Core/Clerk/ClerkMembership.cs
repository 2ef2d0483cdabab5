namespace RoleSync.Clerk;

/// <summary>The part of Clerk's OrganizationMembership that RoleSync uses.</summary>
public sealed record ClerkMembership(string Id, string OrganizationId, string UserId, string Role);
