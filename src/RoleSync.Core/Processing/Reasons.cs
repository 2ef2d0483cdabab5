namespace RoleSync.Processing;

/// <summary>Stable reason codes: dead-letter reasons, metric dimensions and API fields. Never rename one.</summary>
public static class Reasons
{
    // Rejected: retrying cannot help.
    public const string InvalidMessage = nameof(InvalidMessage);
    public const string MembershipNotFound = nameof(MembershipNotFound);
    public const string RoleNotFound = nameof(RoleNotFound);
    public const string LastAdmin = nameof(LastAdmin);
    public const string ManagedByDirectory = nameof(ManagedByDirectory);
    public const string ClerkRejected = nameof(ClerkRejected);

    /// <summary>No Clerk user has the message's externalId or emailAddress.</summary>
    public const string UserNotFound = nameof(UserNotFound);

    /// <summary>More than one Clerk user has the message's emailAddress (or externalId); the detail lists their ids.</summary>
    public const string AmbiguousUser = nameof(AmbiguousUser);

    /// <summary>Creating the membership would exceed the organization's member limit (Clerk's membership quota).</summary>
    public const string MembershipQuotaExceeded = nameof(MembershipQuotaExceeded);

    /// <summary>The role is neither mapped (<c>Roles:Map</c>) nor a Clerk role key, and a mapping is configured.</summary>
    public const string RoleNotMapped = nameof(RoleNotMapped);

    /// <summary>The event id was seen before with other content (membership, role or occurredAt).</summary>
    public const string EventIdReused = nameof(EventIdReused);

    /// <summary>The bulk-change guard held the change and an operator rejected it (<c>POST /api/holds/{organizationId}/reject</c>); the description names the operator.</summary>
    public const string RejectedByOperator = nameof(RejectedByOperator);

    /// <summary>Transient failures kept failing until the retry budget was spent (set by the edges).</summary>
    public const string RetriesExhausted = nameof(RetriesExhausted);

    // Transient: the message is fine, a dependency is not.
    public const string ClerkUnavailable = nameof(ClerkUnavailable);
    public const string ClerkRateLimited = nameof(ClerkRateLimited);
    public const string ClerkUnauthorized = nameof(ClerkUnauthorized);
    public const string SecretUnavailable = nameof(SecretUnavailable);
    public const string LedgerUnavailable = nameof(LedgerUnavailable);

    /// <summary>One attempt of a queue message ran past its deadline (<c>Processing:AttemptDeadline</c>, set by the Functions edge).</summary>
    public const string AttemptDeadlineExceeded = nameof(AttemptDeadlineExceeded);

    /// <summary>RoleSync is in quarantine (<c>Quarantine:*</c>): the message was held, not sent to Clerk, and is rescheduled without spending an attempt.</summary>
    public const string Quarantined = nameof(Quarantined);

    /// <summary>The bulk-change guard (<c>Guard:*</c>) holds the change for an operator's approval; rescheduled without spending an attempt.</summary>
    public const string HeldForApproval = nameof(HeldForApproval);
}
