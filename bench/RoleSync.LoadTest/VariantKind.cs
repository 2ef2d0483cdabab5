namespace RoleSync.LoadTest;

/// <summary>What a variant sends to Clerk for each message.</summary>
public enum VariantKind
{
    /// <summary>A bare HttpClient PATCH loop: no parsing, no ledger, no Key Vault. The most this machine can do.</summary>
    Raw,

    /// <summary>RoleSync's processing pipeline, wired as production wires it, with the in-memory ledger.</summary>
    RoleSyncMemory,

    /// <summary>RoleSync's processing pipeline with the Table Storage ledger on Azurite.</summary>
    RoleSyncAzurite,

    /// <summary>A quick implementation: a Key Vault read and a new HttpClient per message, no rate limiter, no retries.</summary>
    Naive,

    /// <summary>Scale-out runs: the customer's own app, plain GETs on the same key at a steady rate.</summary>
    CustomerApp,
}
