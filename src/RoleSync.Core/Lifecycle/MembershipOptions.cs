namespace RoleSync.Lifecycle;

/// <summary>Configuration section "Membership" (app setting <c>Membership__CreateMissing</c>; the CLI reads the environment variable).</summary>
public sealed class MembershipOptions
{
    public const string SectionName = "Membership";

    /// <summary>
    /// A set-role for a user who is not a member creates the membership (joiners); false (the default): it is
    /// rejected <c>MembershipNotFound</c>, as before contract 1.1.
    /// </summary>
    public bool CreateMissing { get; set; }
}
