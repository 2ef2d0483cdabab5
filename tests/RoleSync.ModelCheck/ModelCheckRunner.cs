using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace RoleSync.ModelCheck;

/// <summary>
/// Runs many seeds of a profile on a dedicated thread (no synchronization context, no task scheduler: completing a
/// TaskCompletionSource there runs the continuation inline; a large stack so deep inline chains never make the runtime
/// queue a continuation to the thread pool instead). A failing seed is run again with its trace, which also checks that
/// it fails the same way.
/// </summary>
internal static class ModelCheckRunner
{
    public const string SeedVariable = "ROLESYNC_SEED";
    public const string ProfileVariable = "ROLESYNC_PROFILE";
    public const string SeedsVariable = "ROLESYNC_SEEDS";

    public static string ReplayCommand(int seed, ModelCheckOptions options) =>
        $"{SeedVariable}={seed} {ProfileVariable}=\"{options.Name}\" dotnet test tests/RoleSync.ModelCheck -c Release --filter \"FullyQualifiedName~ModelCheckTests.Replay_one_seed\"";

    /// <summary>Runs <paramref name="count"/> seeds from <paramref name="first"/>; returns the report (with the traces of up to <paramref name="maxFailures"/> failing seeds), the failing seeds and the summed counts.</summary>
    public static (string Report, List<int> FailingSeeds, FaultCounts Totals) Run(ModelCheckOptions options, int first, int count, int maxFailures = 3)
    {
        var totals = new FaultCounts();
        var failingSeeds = new List<int>();
        var watch = Stopwatch.StartNew();
        // Seeds are independent: each thread runs every n-th seed on its own hosts; a seed's run never depends on
        // which thread ran it or what ran before (the determinism test checks the latter).
        int threads = Math.Clamp(Environment.ProcessorCount, 1, 2);
        var parts = Enumerable.Range(0, threads).Select(_ => (Counts: new FaultCounts(), Failing: new List<int>())).ToArray();
        OnDedicatedThreads(threads, (index, progress) =>
        {
            using var pool = new SimHostPool();
            for (int seed = first + index; seed < first + count; seed += threads)
            {
                progress(seed);
                var result = SeedResult.Run(seed, options, trace: false, pool);
                parts[index].Counts.AddRun(result.Counts);
                if (!result.Holds)
                {
                    parts[index].Failing.Add(seed);
                }
            }
        });
        foreach (var (counts, failing) in parts)
        {
            totals.AddRuns(counts);
            failingSeeds.AddRange(failing);
        }
        failingSeeds.Sort();
        watch.Stop();
        var failures = failingSeeds.Take(maxFailures).Select(seed => RunOne(seed, options)).ToList();
        var report = new StringBuilder();
        report.Append(CultureInfo.InvariantCulture,
            $"model check profile '{options.Name}' ({options.Faults}): {count} seeds from {first} in {watch.Elapsed.TotalSeconds:0.0} s ({watch.Elapsed.TotalMilliseconds / count:0.00} ms per seed), {failingSeeds.Count} failing\n");
        if (failingSeeds.Count > 0)
        {
            report.Append(CultureInfo.InvariantCulture, $"failing seeds: {string.Join(", ", failingSeeds.Take(50))}{(failingSeeds.Count > 50 ? ", …" : "")}\n");
        }
        report.Append(CultureInfo.InvariantCulture, $"fault counts over the run:\n{totals.ToTable()}");
        foreach (var failure in failures)
        {
            report.Append(CultureInfo.InvariantCulture, $"\n--- seed {failure.Seed} ---\nreplay: {ReplayCommand(failure.Seed, options)}\n");
            report.Append(CultureInfo.InvariantCulture, $"violations:\n  {string.Join("\n  ", failure.Violations)}\n");
            if (failure.Holds)
            {
                report.Append("NOT DETERMINISTIC: the traced run of this seed did not fail.\n");
            }
            report.Append(CultureInfo.InvariantCulture, $"faults: {failure.Counts}\ntrace:\n{failure.Trace}");
        }
        return (report.ToString(), failingSeeds, totals);
    }

    /// <summary>Runs seeds one after the other on a dedicated thread, traced, reusing hosts (the determinism test compares these with single runs).</summary>
    public static List<SeedResult> RunTraced(IEnumerable<int> seeds, ModelCheckOptions options)
    {
        var results = new List<SeedResult>();
        OnDedicatedThreads(1, (_, progress) =>
        {
            using var pool = new SimHostPool();
            foreach (var seed in seeds)
            {
                progress(seed);
                results.Add(SeedResult.Run(seed, options, trace: true, pool));
            }
        });
        return results;
    }

    /// <summary>Runs one seed, traced, on a dedicated thread and a new host.</summary>
    public static SeedResult RunOne(int seed, ModelCheckOptions options) => RunTraced([seed], options)[0];

    public static int? EnvironmentInt(string name) =>
        Environment.GetEnvironmentVariable(name) is { Length: > 0 } text ? int.Parse(text, CultureInfo.InvariantCulture) : null;

    /// <summary>A run that has not ended after this long is stuck on something the simulation does not control.</summary>
    private static readonly TimeSpan Watchdog = TimeSpan.FromMinutes(3);

    /// <summary>Runs <paramref name="body"/>(index, report-progress) on <paramref name="count"/> dedicated threads and waits for them.</summary>
    private static void OnDedicatedThreads(int count, Action<int, Action<int>> body)
    {
        var current = new int[count];
        var failures = new Exception?[count];
        var threads = Enumerable.Range(0, count).Select(index => new Thread(() =>
        {
            try
            {
                body(index, seed => Volatile.Write(ref current[index], seed));
            }
#pragma warning disable CA1031 // rethrown on the test's thread below
            catch (Exception ex)
#pragma warning restore CA1031
            {
                failures[index] = ex;
            }
        }, maxStackSize: 64 * 1024 * 1024)
        {
            Name = $"model check {index}",
            IsBackground = true,
        }).ToList();
        threads.ForEach(t => t.Start());
        var deadline = Stopwatch.StartNew();
        for (int i = 0; i < count; i++)
        {
            var left = Watchdog - deadline.Elapsed;
            if (!threads[i].Join(left > TimeSpan.Zero ? left : TimeSpan.Zero))
            {
                throw new TimeoutException($"The model check made no end within {Watchdog.TotalMinutes} minutes; its threads were running seeds {string.Join(", ", current.Select(c => Volatile.Read(ref c)))}. A seed that blocks on something outside the simulation (a real timer, a thread-pool hop) shows this.");
            }
        }
        if (failures.FirstOrDefault(f => f is not null) is { } failure)
        {
            throw new InvalidOperationException("A model check thread failed.", failure);
        }
    }
}
