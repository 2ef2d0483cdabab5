namespace RoleSync.Quarantine;

/// <summary>Why the circuit opened (<see cref="QuarantineState.Trigger"/>): stable names, shown by <c>GET /api/status</c> and logged.</summary>
public static class QuarantineTriggers
{
    /// <summary>Clerk answered 401 to the secret key even after it was read again from Key Vault.</summary>
    public const string ClerkUnauthorized = nameof(ClerkUnauthorized);

    /// <summary>Key Vault answered 403: RoleSync's identity may not read the secret.</summary>
    public const string KeyVaultForbidden = nameof(KeyVaultForbidden);

    /// <summary>Key Vault answered 404: the secret does not exist.</summary>
    public const string SecretNotFound = nameof(SecretNotFound);

    /// <summary>The secret exists but is empty or not a Clerk secret key (the wrong value was pasted in).</summary>
    public const string SecretInvalid = nameof(SecretInvalid);

    /// <summary>More than <c>Quarantine:FailureRatio</c> of at least <c>Quarantine:MinCalls</c> Clerk calls in a minute failed transiently.</summary>
    public const string ClerkFailureRatio = nameof(ClerkFailureRatio);
}
