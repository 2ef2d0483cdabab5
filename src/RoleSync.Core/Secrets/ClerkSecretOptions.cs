using System.ComponentModel.DataAnnotations;

namespace RoleSync.Secrets;

/// <summary>
/// Configuration section "Clerk", where the Clerk secret key comes from: Key Vault (<see cref="KeyVaultUri"/> +
/// <see cref="SecretName"/>, cached for <see cref="SecretCacheDuration"/>) or, for local development only, a literal
/// <see cref="SecretKey"/>. Which of the two is allowed is decided at registration (see
/// <see cref="RoleSyncCoreExtensions.AddRoleSyncClerk{TBuilder}"/>).
/// </summary>
public sealed class ClerkSecretOptions
{
    /// <summary>Key Vault holding the secret key (production). E.g. https://my-vault.vault.azure.net/.</summary>
    public Uri? KeyVaultUri { get; set; }

    /// <summary>Name of the Key Vault secret holding the Clerk secret key.</summary>
    [Required(ErrorMessage = "Clerk:SecretName is not set, e.g. clerk-secret-key.")]
    public string SecretName { get; set; } = "clerk-secret-key";

    /// <summary>How long a secret read from Key Vault is reused before it is read again.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00", ErrorMessage = "Clerk:SecretCacheDuration must be between 00:00:01 and 1.00:00:00.")]
    public TimeSpan SecretCacheDuration { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Local development only: a literal secret key used instead of Key Vault.</summary>
    public string? SecretKey { get; set; }
}
