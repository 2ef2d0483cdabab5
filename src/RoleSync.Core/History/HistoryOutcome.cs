namespace RoleSync.History;

/// <summary>What became of one role change (or one repair) in a membership's history; kebab-case in JSON.</summary>
[System.Text.Json.Serialization.JsonConverter(typeof(KebabCaseEnumConverter<HistoryOutcome>))]
public enum HistoryOutcome
{
    /// <summary>Clerk accepted the change's role.</summary>
    Applied,
    /// <summary>A newer change was known (<see cref="MembershipHistoryEntry.SupersededBy"/>); nothing was sent.</summary>
    Stale,
    /// <summary>The change had been applied before (a redelivery or a re-send).</summary>
    Duplicate,
    /// <summary>Retrying could not help (<see cref="MembershipHistoryEntry.Reason"/>, e.g. <c>RoleNotFound</c>, <c>RetriesExhausted</c>).</summary>
    Rejected,
    /// <summary>A dependency failed (<see cref="MembershipHistoryEntry.Reason"/>); the change is retried.</summary>
    Retried,
    /// <summary>While processing the change, RoleSync read Clerk back, found another role and put the desired one back.</summary>
    RepairedByVerification,
    /// <summary>The reconciler found another role in Clerk and put the desired one back.</summary>
    RepairedByReconcile,
    /// <summary>The bulk-change guard held the change for an operator's approval (<c>HeldForApproval</c>); nothing was sent.</summary>
    Held,
}
