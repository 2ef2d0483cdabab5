using System.Text.Json.Serialization;

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
}

/// <summary>One variant run, sent by the orchestrator to a fresh child process as one JSON line on stdin.</summary>
public sealed record VariantSpec(
    string Name,
    VariantKind Kind,
    Uri ClerkUrl,
    string ClerkKey,
    Uri VaultUri,
    string VaultCertificatePath,
    string SecretName,
    string? AzuriteConnectionString,
    string? TableName,
    int Messages,
    int Concurrency,
    int Memberships,
    int Warmup,
    int WarmupSeconds,
    int MaxSeconds,
    int? RequestsPer10Seconds,
    TimeSpan? SecretCacheDuration);

/// <summary>What the child measured in itself (client side only: the sandbox and the vault run in the orchestrator).</summary>
public sealed record ChildResult(
    int Completed,
    int Failed,
    bool TimedOut,
    double ElapsedSeconds,
    double CpuSeconds,
    double P50Milliseconds,
    double P99Milliseconds,
    double MaxMilliseconds,
    long AllocatedBytes,
    long PeakWorkingSetBytes,
    int Gen0Collections,
    int Gen1Collections,
    int Gen2Collections,
    double GcPauseMilliseconds,
    long LockContentions,
    long ThreadPoolWorkItems,
    int ThreadPoolThreads,
    long JitMethods,
    double JitMilliseconds,
    int WarmupMessages,
    double WarmupSeconds,
    Dictionary<string, int> Outcomes);

[JsonSourceGenerationOptions(UseStringEnumConverter = true)]
[JsonSerializable(typeof(VariantSpec))]
[JsonSerializable(typeof(ChildResult))]
internal sealed partial class ProtocolJson : JsonSerializerContext;

/// <summary>Lines the child writes on stdout; anything else it prints is passed through.</summary>
internal static class Protocol
{
    public const string Ready = "@ready";
    public const string Go = "go";
    public const string ResultPrefix = "@result ";
}
