using RoleSync.Contract;
using RoleSync.Processing;

namespace RoleSync.Lifecycle;

/// <summary>
/// What <see cref="RoleChangeResolver"/> made of a change: the change to process, or the result that ends it; for an
/// <c>AmbiguousUser</c> rejection, the ids of the users that matched (<see cref="Matches"/>).
/// </summary>
public readonly record struct ResolvedChange(RoleChange? Change, ProcessingResult? Result, IReadOnlyList<string>? Matches = null)
{
    public static ResolvedChange Of(RoleChange change) => new(change, null);

    public static ResolvedChange Ended(ProcessingResult result, IReadOnlyList<string>? matches = null) => new(null, result, matches);
}
