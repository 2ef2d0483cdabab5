namespace RoleSync.LoadTest;

/// <summary>A fleet simulated in one process: <see cref="Hosts"/> client stacks, each configured with <c>RoleSync:MaxInstances</c> = <see cref="MaxInstances"/>.</summary>
public sealed record SimulatedFleet(int Hosts, int MaxInstances);
