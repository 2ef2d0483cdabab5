using RoleSync.Contract;
using RoleSync.Processing;

namespace RoleSync.Lifecycle;

/// <summary>
/// The step before ordering: the message's role mapped to a Clerk role key (<see cref="RoleMapper"/>). The change that
/// comes out is what is ordered, recorded and applied; a change that cannot be resolved ends as the returned result.
/// </summary>
public sealed class RoleChangeResolver(RoleMapper roles)
{
    /// <summary>Only role keys, no mapping.</summary>
    public static RoleChangeResolver Default { get; } = new(RoleMapper.None);

    /// <summary>The role mapping, for parsing messages (<see cref="RoleMapper.Parse"/>).</summary>
    public RoleMapper Roles => roles;

    /// <summary>The change with its role mapped, or the result that ends it (<see cref="Reasons.RoleNotMapped"/>).</summary>
    public ValueTask<ResolvedChange> ResolveAsync(RoleChange change, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(change);
        if (!change.IsRemoval)
        {
            if (roles.Map(change.Role) is not { } key)
            {
                return ValueTask.FromResult(ResolvedChange.Ended(ProcessingResult.Rejected(change, Reasons.RoleNotMapped,
                    $"role \"{ProcessingResult.CleanDetail(change.Role)}\" is neither mapped (Roles:Map) nor a Clerk role key (org:…)")));
            }
            change = key == change.Role ? change : change with { Role = key };
        }
        return ValueTask.FromResult(ResolvedChange.Of(change));
    }
}
