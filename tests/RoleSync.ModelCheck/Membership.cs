namespace RoleSync.ModelCheck;

/// <summary>A membership RoleSync manages in the simulated world, with its role in Clerk at the start and its changes.</summary>
internal sealed record Membership(Organization Organization, string UserId, string InitialRole)
{
    public List<Change> Changes { get; } = [];

    public (string, string) Key => (Organization.Id, UserId);

    public override string ToString() => $"{Organization.Id}/{UserId}";
}
