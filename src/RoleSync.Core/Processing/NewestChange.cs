using RoleSync.Ledger;

namespace RoleSync.Processing;

/// <summary>
/// The newest change known for a membership, as far as ordering needs it: which change (<see cref="EventId"/>, and
/// <see cref="OccurredAt"/>, the time it is ordered by: its effective time), the role it asks for, and whether it has been applied. The ledger's
/// <see cref="MembershipRecord"/> gives one (<see cref="Of"/>); the CLI's dry run makes one from an earlier change of
/// the same input, counted as applied.
/// </summary>
public sealed record NewestChange(string EventId, DateTimeOffset OccurredAt, string Role, bool Applied)
{
    /// <summary>The newest change <paramref name="record"/> holds.</summary>
    public static NewestChange Of(MembershipRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        return new(record.NewestEventId, record.NewestOrderAt, record.NewestAction == Contract.RoleChangeAction.Remove ? "remove" : record.NewestRole, record.NewestApplied);
    }
}
