namespace RoleSync.Secrets;

/// <summary>The Clerk secret key could not be read (vault unreachable, forbidden, secret missing or malformed).</summary>
public sealed class ClerkSecretUnavailableException(string message, Exception? innerException = null)
    : Exception(message, innerException);
