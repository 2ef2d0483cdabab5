namespace RoleSync.Guard;

/// <summary>One privilege-reducing change counted in an organization's window: its event id and when it was counted.</summary>
public sealed record GuardMark(string EventId, DateTimeOffset At);
