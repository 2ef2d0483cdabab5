namespace RoleSync.LoadTest;

/// <summary>What the orchestrator saw while a child ran: the sandbox and vault counters of the measured run.</summary>
public sealed record Measurement
{
    public required VariantSpec Spec { get; init; }

    /// <summary>Null when the child failed (see <see cref="Error"/>).</summary>
    public ChildResult? Child { get; init; }
    public string? Error { get; init; }
    public int ClerkRequests { get; init; }
    public int RateLimited { get; init; }
    public int VaultReadsRun { get; init; }
    public int VaultReadsProcess { get; init; }
    public double OrchestratorCpuSeconds { get; init; }
    public double AzuriteCpuSeconds { get; init; }
    public IReadOnlyList<DateTimeOffset> RequestTimes { get; init; } = [];
}
