using RoleSync.Guard;

namespace RoleSync.Functions.OperatorApi;

/// <summary>One held change in <c>GET /api/holds</c>: its event, number, time held, membership and what it asks for.</summary>
public sealed record HeldChangeView(string EventId, long Sequence, DateTimeOffset HeldAt, string UserId, string Action, string? Role)
{
    public static HeldChangeView From(GuardHold hold)
    {
        ArgumentNullException.ThrowIfNull(hold);
        return new(hold.EventId, hold.Sequence, hold.HeldAt, hold.UserId, hold.Removal ? "remove" : "set-role", hold.Removal ? null : hold.Role);
    }
}
