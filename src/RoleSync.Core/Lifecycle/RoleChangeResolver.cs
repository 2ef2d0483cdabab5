using RoleSync.Contract;
using RoleSync.Processing;

namespace RoleSync.Lifecycle;

/// <summary>
/// The step before ordering: the message's role mapped to a Clerk role key (<see cref="RoleMapper"/>) and its user
/// resolved to a Clerk user id (<see cref="UserResolver"/>). The change that comes out is what is ordered (by
/// organization and resolved user id), recorded and applied; a change that cannot be resolved ends as the returned result.
/// </summary>
public sealed class RoleChangeResolver(RoleMapper roles, UserResolver users)
{
    /// <summary>The role mapping, for parsing messages (<see cref="RoleMapper.Parse"/>).</summary>
    public RoleMapper Roles => roles;

    /// <summary>
    /// The change with its role mapped and its user resolved, or the result that ends it (<see cref="Reasons.RoleNotMapped"/>,
    /// <see cref="Reasons.UserNotFound"/>, <see cref="Reasons.AmbiguousUser"/>, transient when the lookup failed).
    /// </summary>
    public ValueTask<ResolvedChange> ResolveAsync(RoleChange change, CancellationToken cancellationToken = default)
    {
        var mapped = MapRole(change);
        return mapped.Change is { } ready ? users.ResolveAsync(ready, cancellationToken) : ValueTask.FromResult(mapped);
    }

    private ResolvedChange MapRole(RoleChange change)
    {
        ArgumentNullException.ThrowIfNull(change);
        if (!change.IsRemoval)
        {
            if (roles.Map(change.Role) is not { } key)
            {
                return ResolvedChange.Ended(ProcessingResult.Rejected(change, Reasons.RoleNotMapped,
                    $"role \"{ProcessingResult.CleanDetail(change.Role)}\" is neither mapped (Roles:Map) nor a Clerk role key (org:…)"));
            }
            change = key == change.Role ? change : change with { Role = key };
        }
        return ResolvedChange.Of(change);
    }
}
