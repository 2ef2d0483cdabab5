namespace RoleSync.Secrets;

/// <summary>Local development: a key from configuration (Clerk:SecretKey) or the CLERK_SECRET_KEY variable.</summary>
public sealed class ConfiguredClerkSecretProvider(ClerkSecret secret) : IClerkSecretProvider
{
    public ValueTask<ClerkSecret> GetAsync(CancellationToken cancellationToken = default) => ValueTask.FromResult(secret);

    public ValueTask<ClerkSecret> RefreshAsync(ClerkSecret rejected, CancellationToken cancellationToken = default) => ValueTask.FromResult(secret);
}
