namespace RoleSync.LoadTest;

/// <summary>
/// A scale-out run's part for one child: <see cref="Hosts"/> RoleSync client stacks in this process (one per simulated
/// Functions host, each with its own limiter), configured as one of <see cref="MaxInstances"/> hosts
/// (<c>RoleSync:MaxInstances</c>), working off messages <see cref="FirstMessage"/> to <see cref="FirstMessage"/> +
/// <see cref="Count"/> − 1 of the run's <see cref="TotalMessages"/>.
/// </summary>
public sealed record HostSlice
{
    public required string RunId { get; init; }
    public required int Hosts { get; init; }
    public required int MaxInstances { get; init; }
    public required int FirstMessage { get; init; }
    public required int Count { get; init; }
    public required int TotalMessages { get; init; }

    /// <summary>Attempts per message before it counts as failed (Retry:MaxAttempts): a Transient outcome goes back on the backlog, as its retry copy would.</summary>
    public required int MaxAttempts { get; init; }
}
