namespace RoleSync;

/// <summary>RoleSync's version, as sent in User-Agent and recorded on dead letters.</summary>
public static class RoleSyncInfo
{
    public static string Version { get; } =
        typeof(RoleSyncInfo).Assembly.GetName().Version?.ToString(3) ?? "0.0.0";
}
