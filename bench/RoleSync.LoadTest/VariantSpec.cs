namespace RoleSync.LoadTest;

/// <summary>One variant run, sent by the orchestrator to a fresh child process as one JSON line on stdin.</summary>
public sealed record VariantSpec
{
    public required string Name { get; init; }
    public required VariantKind Kind { get; init; }

    /// <summary>The Clerk sandbox and the key the raw driver sends (the others read it from the vault).</summary>
    public required Uri ClerkUrl { get; init; }
    public required string ClerkKey { get; init; }

    /// <summary>The Key Vault fake, its certificate (DER, to trust it) and the secret holding the Clerk key.</summary>
    public required Uri VaultUri { get; init; }
    public required string VaultCertificatePath { get; init; }
    public required string SecretName { get; init; }

    /// <summary>The Azurite ledger (<see cref="VariantKind.RoleSyncAzurite"/> only).</summary>
    public string? AzuriteConnectionString { get; init; }
    public string? TableName { get; init; }

    public required int Messages { get; init; }
    public required int Concurrency { get; init; }
    public required int Memberships { get; init; }
    public required int Warmup { get; init; }
    public required int WarmupSeconds { get; init; }
    public required int MaxSeconds { get; init; }

    /// <summary>RoleSync's limiter budget per 10 s; null keeps the default for the key.</summary>
    public int? RequestsPer10Seconds { get; init; }

    /// <summary>Clerk:SecretCacheDuration; null keeps the default.</summary>
    public TimeSpan? SecretCacheDuration { get; init; }

    /// <summary>Scale-out runs: the RoleSync hosts of this child and their messages.</summary>
    public HostSlice? Slice { get; init; }

    /// <summary>Scale-out runs, <see cref="VariantKind.CustomerApp"/>: the app's request rate.</summary>
    public AppLoad? App { get; init; }
}
