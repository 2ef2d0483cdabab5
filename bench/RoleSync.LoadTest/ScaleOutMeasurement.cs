namespace RoleSync.LoadTest;

/// <summary>What a scale-out run produced: each host child's result, the app's, and the sandbox's view of every request.</summary>
public sealed record ScaleOutMeasurement
{
    public required ScaleOutScenario Scenario { get; init; }
    public required int Budget { get; init; }
    public required int InstanceLimit { get; init; }
    public IReadOnlyList<ScaleOutResult> Hosts { get; init; } = [];
    public ScaleOutResult? App { get; init; }
    public IReadOnlyList<SeenRequest> Requests { get; init; } = [];
    public DateTimeOffset Go { get; init; }
    public DateTimeOffset End { get; init; }
    public int VaultReads { get; init; }
    public string? Error { get; init; }
    public string LoadAfter { get; init; } = "";
}
