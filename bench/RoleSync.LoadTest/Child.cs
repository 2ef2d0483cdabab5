namespace RoleSync.LoadTest;

/// <summary>
/// One variant in a fresh process, so its allocations and peak working set are its own: read the spec (stdin), set
/// up, warm up, say ready, wait for "go" (the orchestrator resets its counters), run, write the result (stdout).
/// </summary>
internal static class Child
{
    /// <summary>The JIT counts as quiet when it compiled fewer methods than this in the last second.</summary>
    private const int QuietJitMethods = 10;

    private const int MaxWarmupSeconds = 60;

    public static async Task<int> RunAsync()
    {
        var line = await Console.In.ReadLineAsync().ConfigureAwait(false)
            ?? throw new InvalidOperationException("No variant spec on stdin.");
        var spec = JsonSerializer.Deserialize(line, ProtocolJson.Default.VariantSpec)
            ?? throw new InvalidOperationException("Empty variant spec.");
        if (spec.Kind == VariantKind.CustomerApp)
        {
            return await CustomerApp.RunAsync(spec).ConfigureAwait(false);
        }
        if (spec.Slice is not null)
        {
            return await ScaleOutChild.RunAsync(spec).ConfigureAwait(false);
        }

        var timeline = DateTimeOffset.UtcNow.AddHours(-1); // every message is in the past, within the contract's skew rule
        var measured = WorkItems.Measured(spec.Name, spec.Messages, spec.Memberships, timeline.AddMinutes(1));
        var deadline = TimeSpan.FromSeconds(spec.MaxSeconds);

        await using var driver = await Drivers.CreateAsync(spec, CancellationToken.None).ConfigureAwait(false);
        var (warmupRounds, warmupTime) = await WarmUpAsync(spec, driver, timeline).ConfigureAwait(false);

        Console.WriteLine(Protocol.Ready);
        if (await Console.In.ReadLineAsync().ConfigureAwait(false) != Protocol.Go)
        {
            return 3; // the orchestrator went away
        }

        var warmOutcomes = driver.Outcomes;
        int gen0 = GC.CollectionCount(0), gen1 = GC.CollectionCount(1), gen2 = GC.CollectionCount(2);
        var pause = GC.GetTotalPauseDuration();
        long jitMethods = JitInfo.GetCompiledMethodCount();
        var jitTime = JitInfo.GetCompilationTime();
        long contentions = Monitor.LockContentionCount, workItems = ThreadPool.CompletedWorkItemCount;
        var run = await LoadRunner.RunAsync(driver, measured, spec.Concurrency, deadline).ConfigureAwait(false);

        using var self = Process.GetCurrentProcess();
        self.Refresh();
        var outcomes = driver.Outcomes.ToDictionary(kv => kv.Key, kv => kv.Value - warmOutcomes.GetValueOrDefault(kv.Key));
        var result = new ChildResult
        {
            Completed = run.Completed,
            Failed = run.Failed,
            TimedOut = run.TimedOut,
            ElapsedSeconds = run.Elapsed.TotalSeconds,
            CpuSeconds = run.Cpu.TotalSeconds,
            P50Milliseconds = LoadRunner.Percentile(run.LatenciesMilliseconds, 50),
            P99Milliseconds = LoadRunner.Percentile(run.LatenciesMilliseconds, 99),
            MaxMilliseconds = LoadRunner.Percentile(run.LatenciesMilliseconds, 100),
            AllocatedBytes = run.AllocatedBytes,
            PeakWorkingSetBytes = self.PeakWorkingSet64,
            Gen0Collections = GC.CollectionCount(0) - gen0,
            Gen1Collections = GC.CollectionCount(1) - gen1,
            Gen2Collections = GC.CollectionCount(2) - gen2,
            GcPauseMilliseconds = (GC.GetTotalPauseDuration() - pause).TotalMilliseconds,
            LockContentions = Monitor.LockContentionCount - contentions,
            ThreadPoolWorkItems = ThreadPool.CompletedWorkItemCount - workItems,
            ThreadPoolThreads = ThreadPool.ThreadCount,
            JitMethods = JitInfo.GetCompiledMethodCount() - jitMethods,
            JitMilliseconds = (JitInfo.GetCompilationTime() - jitTime).TotalMilliseconds,
            WarmupMessages = warmupRounds * spec.Warmup,
            WarmupSeconds = warmupTime.TotalSeconds,
            Outcomes = outcomes.Where(kv => kv.Value != 0).ToDictionary(),
        };
        if (run.FirstError is not null)
        {
            await Console.Error.WriteLineAsync($"[{spec.Name}] first error: {run.FirstError}").ConfigureAwait(false);
        }
        Console.WriteLine(Protocol.ResultPrefix + JsonSerializer.Serialize(result, ProtocolJson.Default.ChildResult));
        return 0;
    }

    /// <summary>
    /// Rounds over the warm-up memberships (exactly one when <see cref="VariantSpec.WarmupSeconds"/> is 0) for at least
    /// <see cref="VariantSpec.WarmupSeconds"/> and then until the JIT
    /// is quiet (fewer than <see cref="QuietJitMethods"/> methods compiled in the last second; tiered compilation keeps
    /// recompiling hot methods for a while, and that CPU is not RoleSync's), at most <see cref="MaxWarmupSeconds"/>.
    /// </summary>
    private static async Task<(int Rounds, TimeSpan Elapsed)> WarmUpAsync(VariantSpec spec, IDriver driver, DateTimeOffset timeline)
    {
        if (spec.Warmup == 0)
        {
            return (0, TimeSpan.Zero);
        }
        if (spec.WarmupSeconds == 0)
        {
            // One round only (the rate-limited run: warm-up spends the same Clerk budget as the run).
            var once = await LoadRunner.RunAsync(driver, WorkItems.Warmup(spec.Name, 0, spec.Warmup, timeline), spec.Concurrency, TimeSpan.FromSeconds(spec.MaxSeconds)).ConfigureAwait(false);
            return (1, once.Elapsed);
        }
        var started = Stopwatch.GetTimestamp();
        var checkpoint = started;
        long methodsAtCheckpoint = JitInfo.GetCompiledMethodCount();
        int round = 0;
        while (round < 10_000)
        {
            var items = WorkItems.Warmup(spec.Name, round, spec.Warmup, timeline);
            var warm = await LoadRunner.RunAsync(driver, items, spec.Concurrency, TimeSpan.FromSeconds(spec.MaxSeconds)).ConfigureAwait(false);
            if (warm.Failed > 0 || warm.TimedOut)
            {
                await Console.Error.WriteLineAsync($"[{spec.Name}] warm-up round {round}: {warm.Failed} of {items.Length} failed{(warm.TimedOut ? ", timed out" : "")}; first error: {warm.FirstError}; outcomes so far: {Format(driver.Outcomes)}").ConfigureAwait(false);
                break;
            }
            round++;
            var elapsed = Stopwatch.GetElapsedTime(started);
            if (elapsed.TotalSeconds >= MaxWarmupSeconds)
            {
                break;
            }
            if (Stopwatch.GetElapsedTime(checkpoint) >= TimeSpan.FromSeconds(1))
            {
                long methods = JitInfo.GetCompiledMethodCount();
                bool quiet = methods - methodsAtCheckpoint < QuietJitMethods;
                (checkpoint, methodsAtCheckpoint) = (Stopwatch.GetTimestamp(), methods);
                if (quiet && elapsed.TotalSeconds >= spec.WarmupSeconds)
                {
                    break;
                }
            }
        }
        return (round, Stopwatch.GetElapsedTime(started));
    }

    private static string Format(IReadOnlyDictionary<string, int> outcomes) => string.Join(", ", outcomes.Select(kv => $"{kv.Key}={kv.Value}"));
}
