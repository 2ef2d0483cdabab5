namespace RoleSync.ModelCheck;

/// <summary>What one seed's run found: the violations (empty: the property holds), its counts and its trace (when traced).</summary>
internal sealed record SeedResult(int Seed, IReadOnlyList<string> Violations, FaultCounts Counts, string Trace)
{
    public bool Holds => Violations.Count == 0;

    /// <summary>Runs one seed on the calling thread (which must have no synchronization context: see <see cref="ModelCheckRunner"/>).</summary>
    public static SeedResult Run(int seed, ModelCheckOptions options, bool trace, SimHostPool pool)
    {
        using var simulation = new Simulation(seed, options, trace, pool);
        simulation.Run();
        return new SeedResult(seed, simulation.Violations, simulation.Counts, simulation.Trace);
    }
}
