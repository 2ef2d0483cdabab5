namespace RoleSync.Clerk;

/// <summary>The <c>GET /v1/users</c> filter RoleSync uses to find a user.</summary>
public enum ClerkUserFilter
{
    /// <summary><c>user_id</c>: a <c>user_…</c> id.</summary>
    UserId,

    /// <summary><c>external_id</c>: the id the HR system knows (exact match).</summary>
    ExternalId,

    /// <summary><c>email_address</c>: an email address (Clerk matches it case-insensitively).</summary>
    EmailAddress,
}
