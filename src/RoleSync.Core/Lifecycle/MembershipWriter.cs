using Microsoft.Extensions.Options;
using RoleSync.Clerk;
using RoleSync.Contract;
using RoleSync.Processing;

namespace RoleSync.Lifecycle;

/// <summary>
/// The membership-write step of <see cref="MembershipConverger"/>: puts one desired state into Clerk. A role: PATCH; a
/// member that is missing is created when <see cref="MembershipOptions.CreateMissing"/> (POST; a member created
/// meanwhile, <c>already_a_member_in_organization</c>, is PATCHed instead), else rejected
/// <see cref="Reasons.MembershipNotFound"/>. Absent: DELETE; already gone (404) counts as done.
/// </summary>
public sealed class MembershipWriter(ClerkClient clerk, IOptions<MembershipOptions> options)
{
    /// <summary>Joiners are created (<c>Membership:CreateMissing</c>).</summary>
    public bool CreateMissing => options.Value.CreateMissing;

    /// <summary>
    /// Writes <paramref name="desired"/>'s state for its membership; <paramref name="knownMissing"/>: Clerk was just read
    /// and the user is not a member (so a set-role goes straight to POST). Returns the outcome for
    /// <paramref name="desired"/>, how many writes were sent, and whether one may still land (<see cref="ClerkResult.Ambiguous"/>).
    /// </summary>
    public async Task<MembershipWrite> WriteAsync(RoleChange desired, bool knownMissing, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(desired);
        string org = desired.OrganizationId, user = desired.UserId;
        if (desired.IsRemoval)
        {
            var delete = await clerk.DeleteMembershipAsync(org, user, cancellationToken).ConfigureAwait(false);
            return delete.Error is { StatusCode: 404, FromClerk: true, Code: "resource_not_found" }
                ? new MembershipWrite(ProcessingResult.Of(Outcome.Applied, desired, $"{user} was not a member of {org}"), 1, delete.Ambiguous)
                : Of(desired, delete, 1, delete.Ambiguous);
        }

        int writes = 0;
        bool ambiguous = false;
        if (!knownMissing)
        {
            var patch = await clerk.UpdateMembershipRoleAsync(org, user, desired.Role, cancellationToken).ConfigureAwait(false);
            writes++;
            ambiguous |= patch.Ambiguous;
            var patched = Of(desired, patch, writes, ambiguous);
            if (patched.Result.Reason != Reasons.MembershipNotFound || !CreateMissing)
            {
                return patched;
            }
        }
        else if (!CreateMissing)
        {
            return new MembershipWrite(ProcessingResult.Rejected(desired, Reasons.MembershipNotFound,
                $"{user} is not a member of {org} (set Membership__CreateMissing=true to add joiners)."), writes, ambiguous);
        }

        var create = await clerk.CreateMembershipAsync(org, user, desired.Role, cancellationToken).ConfigureAwait(false);
        writes++;
        ambiguous |= create.Ambiguous;
        if (create.Error is { StatusCode: 400, Code: "already_a_member_in_organization" })
        {
            // A race: the user became a member meanwhile. Set the role instead.
            var patch = await clerk.UpdateMembershipRoleAsync(org, user, desired.Role, cancellationToken).ConfigureAwait(false);
            writes++;
            ambiguous |= patch.Ambiguous;
            return Of(desired, patch, writes, ambiguous);
        }
        var created = Of(desired, create, writes, ambiguous);
        return created.Result.Outcome == Outcome.Applied ? created with { Result = created.Result with { Detail = $"created the membership of {user} in {org}" } } : created;
    }

    private static MembershipWrite Of(RoleChange desired, ClerkResult result, int writes, bool ambiguous) =>
        new(result.Error is { } error ? ClerkErrorPolicy.Classify(desired, error) : ProcessingResult.Of(Outcome.Applied, desired), writes, ambiguous);
}
