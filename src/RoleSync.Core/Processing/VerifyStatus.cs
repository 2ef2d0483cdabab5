namespace RoleSync.Processing;

/// <summary>What verifying a membership against Clerk found (and did).</summary>
[System.Text.Json.Serialization.JsonConverter(typeof(KebabCaseEnumConverter<VerifyStatus>))]
public enum VerifyStatus
{
    /// <summary>Clerk holds the desired role (or RoleSync knows no desired role).</summary>
    InSync,
    /// <summary>Clerk held another role; RoleSync put the desired one back and recorded the repair.</summary>
    Repaired,
    /// <summary>Clerk holds another role and RoleSync did not change it (report-only mode).</summary>
    Drift,
    /// <summary>The user is not a member of the organization in Clerk.</summary>
    NotAMember,
    /// <summary>Clerk refuses API changes to the membership (Directory Sync / SCIM).</summary>
    ManagedByDirectory,
    /// <summary>Clerk or the ledger failed; Clerk's state stays unknown (marked in the ledger) and is verified again later.</summary>
    Failed,
}
