namespace RoleSync.LoadTest;

/// <summary>Requests the sandbox saw in one epoch-aligned 10-s window (how Clerk and the sandbox count), by caller; 429s included in the sent counts.</summary>
public sealed record WindowCounts(long Index, int RoleSync, int RoleSyncRateLimited, int App, int AppRateLimited)
{
    public int Total => RoleSync + App;

    public DateTimeOffset Start => DateTimeOffset.UnixEpoch.AddTicks(Index * ScaleOutFigures.WindowTicks);
}
