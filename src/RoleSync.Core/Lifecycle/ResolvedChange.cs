using RoleSync.Contract;
using RoleSync.Processing;

namespace RoleSync.Lifecycle;

/// <summary>What <see cref="RoleChangeResolver"/> made of a change: the change to process, or the result that ends it.</summary>
public readonly record struct ResolvedChange(RoleChange? Change, ProcessingResult? Result)
{
    public static ResolvedChange Of(RoleChange change) => new(change, null);

    public static ResolvedChange Ended(ProcessingResult result) => new(null, result);
}
