using System.Text.Json.Serialization;

namespace RoleSync.Processing;

/// <summary>
/// What became of one role change. Edges map it to settlement (Functions), HTTP answers or CLI lines. In JSON it is
/// kebab-case (<c>applied</c>, <c>would-apply</c>, …); <see cref="Transient"/> is written <c>failed</c>: JSON output
/// shows a transient outcome only once its retries are spent (the operator API answers it with a 503 problem instead).
/// </summary>
[JsonConverter(typeof(KebabCaseEnumConverter<Outcome>))]
public enum Outcome
{
    /// <summary>Clerk now holds the change's role (Clerk answered 200).</summary>
    Applied,
    /// <summary>A newer change for the membership is already known; nothing was sent to Clerk.</summary>
    Stale,
    /// <summary>This very change was already applied; nothing was sent to Clerk.</summary>
    Duplicate,
    /// <summary>Retrying cannot help (see <see cref="Reasons"/>); the message is dead-lettered.</summary>
    Rejected,
    /// <summary>The message is fine but a dependency failed (Clerk, Key Vault, ledger); try again later.</summary>
    [JsonStringEnumMemberName("failed")]
    Transient,
    /// <summary>Dry run: the change would be applied.</summary>
    WouldApply,
    /// <summary>Dry run: the member already holds the role (or, for a removal, is not a member).</summary>
    Unchanged,
    /// <summary>Dry run: the user is not a member and the membership would be created (<c>Membership:CreateMissing</c>).</summary>
    WouldCreate,
    /// <summary>Dry run: the membership would be removed.</summary>
    WouldRemove,
    /// <summary>Dry run: the user (<see cref="Reasons.UserNotFound"/>) or the membership (<see cref="Reasons.MembershipNotFound"/>) does not exist, so nothing would change.</summary>
    NotFound,
}
