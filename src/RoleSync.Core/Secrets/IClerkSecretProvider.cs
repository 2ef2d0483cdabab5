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

/// <summary>The Clerk secret key could not be read (vault unreachable, forbidden, secret missing or malformed).</summary>
public sealed class ClerkSecretUnavailableException(string message, Exception? innerException = null)
    : Exception(message, innerException);

/// <summary>Local development: a key from configuration (Clerk:SecretKey) or the CLERK_SECRET_KEY variable.</summary>
public sealed class ConfiguredClerkSecretProvider(ClerkSecret secret) : IClerkSecretProvider
{
    public ValueTask<ClerkSecret> GetAsync(CancellationToken cancellationToken = default) => ValueTask.FromResult(secret);

    public ValueTask<ClerkSecret> RefreshAsync(ClerkSecret rejected, CancellationToken cancellationToken = default) => ValueTask.FromResult(secret);
}
