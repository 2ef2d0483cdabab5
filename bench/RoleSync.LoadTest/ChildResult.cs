namespace RoleSync.LoadTest;

/// <summary>What the child measured in itself (client side only: the sandbox and the vault run in the orchestrator).</summary>
public sealed record ChildResult
{
    public required int Completed { get; init; }
    public required int Failed { get; init; }
    public required bool TimedOut { get; init; }
    public required double ElapsedSeconds { get; init; }
    public required double CpuSeconds { get; init; }
    public required double P50Milliseconds { get; init; }
    public required double P99Milliseconds { get; init; }
    public required double MaxMilliseconds { get; init; }
    public required long AllocatedBytes { get; init; }
    public required long PeakWorkingSetBytes { get; init; }
    public required int Gen0Collections { get; init; }
    public required int Gen1Collections { get; init; }
    public required int Gen2Collections { get; init; }
    public required double GcPauseMilliseconds { get; init; }
    public required long LockContentions { get; init; }
    public required long ThreadPoolWorkItems { get; init; }
    public required int ThreadPoolThreads { get; init; }
    public required long JitMethods { get; init; }
    public required double JitMilliseconds { get; init; }
    public required int WarmupMessages { get; init; }
    public required double WarmupSeconds { get; init; }
    public required Dictionary<string, int> Outcomes { get; init; }
}
