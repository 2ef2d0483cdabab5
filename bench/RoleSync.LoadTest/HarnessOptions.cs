namespace RoleSync.LoadTest;

/// <summary>What the orchestrator runs (the command line, parsed by <see cref="HarnessCommand"/>). The initial values are the defaults.</summary>
public sealed record HarnessOptions
{
    public int Messages { get; init; } = 20_000;
    public int Concurrency { get; init; } = 32;
    public int Memberships { get; init; } = 20_000;
    public int Warmup { get; init; } = 1_000;
    public int WarmupSeconds { get; init; } = 5;
    public int Repeat { get; init; } = 1;
    public int LimiterBudget { get; init; } = 10_000_000;
    public int MaxSeconds { get; init; } = 300;
    public int RateLimitedMessages { get; init; } = 6_000;
    public int RateLimitedSecretCacheSeconds { get; init; } = 30;
    public IReadOnlyList<VariantKind> Variants { get; init; } =
        [VariantKind.Raw, VariantKind.RoleSyncMemory, VariantKind.RoleSyncAzurite, VariantKind.Naive];
    public bool NoAzurite { get; init; }

    // ----- scale-out runs (issue 13); any of ScaleOut, BurstHosts, Simulate replaces the runs above -----
    public IReadOnlyList<int> ScaleOut { get; init; } = [];
    public int BurstHosts { get; init; }
    public IReadOnlyList<SimulatedFleet> Simulate { get; init; } = [];
    public int Budget { get; init; } = 500;
    public int BacklogWindows { get; init; } = 30;
    public int BurstBacklogWindows { get; init; } = 15;
    public int AppRate { get; init; } = 200;
    public int BurstRate { get; init; } = 800;
    public int BurstSeconds { get; init; } = 30;
    public int BurstAfterSeconds { get; init; } = 50;
    public int HostConcurrency { get; init; } = 8;
    public int MaxAttempts { get; init; } = 8;

    /// <summary>Scale-out: the sandbox's delay before every answer, as Clerk's own latency (0: loopback only).</summary>
    public int ClerkLatencyMilliseconds { get; init; }

    public bool ScaleOutMode => ScaleOut.Count > 0 || BurstHosts > 0 || Simulate.Count > 0;
    public string? MarkdownPath { get; init; }
}
