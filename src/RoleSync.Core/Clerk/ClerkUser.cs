namespace RoleSync.Clerk;

/// <summary>A Clerk user as RoleSync needs it: the id, the external id (null when unset) and the email addresses.</summary>
public sealed record ClerkUser(string Id, string? ExternalId, IReadOnlyList<string> EmailAddresses);
