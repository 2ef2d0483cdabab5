using RoleSync.Contract;
using RoleSync.Ledger;

namespace RoleSync.Processing;

/// <summary>
/// The role a membership should hold in Clerk, from its ledger record — the one definition the processor, verification
/// and the reconciler share: the role of the newest change Clerk accepted, unless a newer change is pending (then that
/// change's role: it is on its way). A rejected newest change falls back to the newest accepted one; with none
/// accepted yet there is no desired role (null) and RoleSync leaves Clerk as it is. A removal's desired state is
/// <see cref="Absent"/>: the user should not be a member.
/// </summary>
/// <param name="Change">The change whose role is desired.</param>
/// <param name="Pending">True when <paramref name="Change"/> is the newest change and Clerk has not accepted it yet.</param>
public sealed record DesiredRole(RoleChange Change, bool Pending)
{
    /// <summary>How an absent desired state is shown where a role would be (verification results, reconcile items).</summary>
    public const string AbsentRole = "(absent)";

    /// <summary>The role the member should hold, or <see cref="AbsentRole"/>.</summary>
    public string Role => Absent ? AbsentRole : Change.Role;

    /// <summary>The user should not be a member (the change is a removal).</summary>
    public bool Absent => Change.IsRemoval;

    public static DesiredRole? Of(MembershipRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (record.NewestRejected)
        {
            return record.AcceptedChange() is { } accepted ? new DesiredRole(accepted, Pending: false) : null;
        }
        return new DesiredRole(record.NewestChange(), Pending: !record.NewestApplied);
    }
}
