namespace RoleSync.LoadTest;

/// <summary>One request the sandbox saw in a scale-out run: when, whose (RoleSync's or the customer app's), and its status.</summary>
public sealed record SeenRequest(DateTimeOffset At, bool RoleSync, int Status);
