using System.Text;

namespace RoleSync.ModelCheck;

/// <summary>One role change of the simulated world, with the message body a producer sends for it.</summary>
internal sealed record Change(int Index, Membership Membership, string EventId, DateTimeOffset OccurredAt, string Role)
{
    /// <summary>The <see cref="Role"/> of a removal (contract 1.1 <c>"action":"remove"</c>): the user should not be a member.</summary>
    public const string Remove = "(remove)";

    public bool IsRemoval => Role == Remove;

    public byte[] Body { get; } = Encoding.UTF8.GetBytes(Role == Remove
        ? $$"""{"eventId":"{{EventId}}","occurredAt":"{{OccurredAt:yyyy-MM-dd'T'HH:mm:ss'Z'}}","organizationId":"{{Membership.Organization.Id}}","userId":"{{Membership.UserId}}","action":"remove","source":"modelcheck"}"""
        : $$"""{"eventId":"{{EventId}}","occurredAt":"{{OccurredAt:yyyy-MM-dd'T'HH:mm:ss'Z'}}","organizationId":"{{Membership.Organization.Id}}","userId":"{{Membership.UserId}}","role":"{{Role}}","source":"modelcheck"}""");

    /// <summary>The ordering rule, written here independently of RoleSync: later occurredAt, then ordinally greater eventId.</summary>
    public bool IsNewerThan(Change other) =>
        OccurredAt != other.OccurredAt ? OccurredAt > other.OccurredAt : string.CompareOrdinal(EventId, other.EventId) > 0;

    /// <summary>Whether Clerk accepts this change's role for its membership (static in this world, see <see cref="Organization"/>).</summary>
    public bool Accepted => Membership.Organization.Accepts(Role);

    public override string ToString() => $"{EventId}@{OccurredAt:ss}s:{Role}";
}
