using System.ComponentModel.DataAnnotations;

namespace RoleSync.Clerk;

/// <summary>
/// Configuration section "RoleSync": how many hosts share the deployment's Clerk budget. Each host's
/// <see cref="ClerkRateLimiter"/> takes <see cref="ClerkBudgetOptions.RequestsPer10Seconds"/> ÷ <see cref="MaxInstances"/>.
/// </summary>
public sealed class ScaleOutOptions
{
    /// <summary>The configuration section, "RoleSync".</summary>
    public const string SectionName = "RoleSync";

    /// <summary>The most hosts that run at once (the Bicep sets it with the Flex Consumption <c>maximumInstanceCount</c>).</summary>
    [Range(1, 1000, ErrorMessage = "RoleSync:MaxInstances must be between 1 and 1000.")]
    public int MaxInstances { get; set; } = 1;
}
