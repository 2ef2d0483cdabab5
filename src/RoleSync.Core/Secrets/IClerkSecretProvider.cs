namespace RoleSync.Secrets;

/// <summary>Supplies the Clerk secret key. Two implementations: Key Vault (production) and a configured key (local).</summary>
public interface IClerkSecretProvider
{
    /// <summary>The current key, cached. Throws <see cref="ClerkSecretUnavailableException"/> when it cannot be had.</summary>
    ValueTask<ClerkSecret> GetAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Called when Clerk rejected <paramref name="rejected"/> (401): reads the key again unless another caller
    /// already did, and returns the newest key (which may be the same one).
    /// </summary>
    ValueTask<ClerkSecret> RefreshAsync(ClerkSecret rejected, CancellationToken cancellationToken = default);
}
