namespace RoleSync.Lifecycle;

/// <summary>
/// Configuration section "Roles": <c>Roles:Map:&lt;HR role name&gt;</c> = <c>org:&lt;key&gt;</c> (app setting
/// <c>Roles__Map__Manager=org:admin</c>). Names are matched case-insensitively. Validated at start-up by
/// <see cref="RoleMappingOptionsValidator"/>: every target must be a role key.
/// </summary>
public sealed class RoleMappingOptions
{
    public const string SectionName = "Roles";

    /// <summary>HR role name → Clerk role key. Empty: no mapping, <c>role</c> must be an <c>org:</c> key.</summary>
    public Dictionary<string, string?> Map { get; } = new(StringComparer.OrdinalIgnoreCase);
}
