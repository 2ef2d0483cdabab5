using System.ComponentModel.DataAnnotations;

namespace RoleSync.Guard;

/// <summary>
/// Configuration section "Guard": the bulk-change guard (<see cref="BulkChangeGuard"/>), which holds an organization's
/// privilege-reducing changes for an operator's approval once more than <see cref="MaxPerWindow"/> of them arrive
/// within <see cref="Window"/>.
/// </summary>
public sealed class GuardOptions
{
    /// <summary>The configuration section, "Guard".</summary>
    public const string SectionName = "Guard";

    /// <summary>On by default; <c>false</c> turns the guard off (every change is applied as it comes).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>The protected roles when none are configured: <c>org:admin</c>.</summary>
    public static IReadOnlyList<string> DefaultProtectedRoles { get; } = ["org:admin"];

    /// <summary>
    /// Roles whose loss is privilege-reducing: a set-role away from one of these (the ledger's desired role is one, the
    /// new role is not) counts, as does every remove. Unset or empty: <see cref="DefaultProtectedRoles"/> (null by default,
    /// so that configured roles replace the default rather than add to it). App settings: <c>Guard__ProtectedRoles__0=org:admin</c>, ….
    /// </summary>
    public string[]? ProtectedRoles { get; set; }

    /// <summary>More privilege-reducing changes than this for one organization within <see cref="Window"/> are held.</summary>
    [Range(1, 500, ErrorMessage = "Guard:MaxPerWindow must be between 1 and 500.")]
    public int MaxPerWindow { get; set; } = 10;

    /// <summary>The sliding window the changes are counted in.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "7.00:00:00", ErrorMessage = "Guard:Window must be between 00:01:00 and 7.00:00:00.")]
    public TimeSpan Window { get; set; } = TimeSpan.FromHours(1);

    /// <summary>How often a held message comes back to see whether an operator decided (it spends no attempt).</summary>
    [Range(typeof(TimeSpan), "00:00:05", "01:00:00", ErrorMessage = "Guard:RecheckInterval must be between 00:00:05 and 01:00:00.")]
    public TimeSpan RecheckInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>The table holding the counts and the holds, in the ledger's storage account.</summary>
    [RegularExpression("^[A-Za-z][A-Za-z0-9]{2,62}$", ErrorMessage = "Guard:TableName must be 3-63 letters or digits, starting with a letter.")]
    public string TableName { get; set; } = "rolesyncguard";

    /// <summary>True when <paramref name="role"/> is one of <see cref="ProtectedRoles"/> (ordinal).</summary>
    public bool IsProtected(string? role) => role is not null && EffectiveProtectedRoles.Contains(role, StringComparer.Ordinal);

    /// <summary><see cref="ProtectedRoles"/>, or <see cref="DefaultProtectedRoles"/> when none are configured.</summary>
    public IReadOnlyList<string> EffectiveProtectedRoles => ProtectedRoles is { Length: > 0 } configured ? configured : DefaultProtectedRoles;
}
