namespace RoleSync.LoadTest;

/// <summary>
/// A scale-out child: <see cref="HostSlice.Hosts"/> RoleSync client stacks (each composed as production composes it,
/// with its own <see cref="ClerkRateLimiter"/> taking the deployment budget ÷ <c>RoleSync:MaxInstances</c>) working off
/// this child's slice of the backlog, all at once after "go". No warm-up: it would spend the same Clerk budget.
/// </summary>
internal static class ScaleOutChild
{
    public static async Task<int> RunAsync(VariantSpec spec)
    {
        var slice = spec.Slice ?? throw new InvalidOperationException("A scale-out child needs its slice.");
        var timeline = DateTimeOffset.UtcNow.AddHours(-1);
        var items = WorkItems.Measured(slice.RunId, slice.TotalMessages, spec.Memberships, timeline)[slice.FirstMessage..(slice.FirstMessage + slice.Count)];

        var drivers = new List<RoleSyncDriver>(slice.Hosts);
        try
        {
            for (int h = 0; h < slice.Hosts; h++)
            {
                drivers.Add((RoleSyncDriver)await Drivers.CreateAsync(spec, CancellationToken.None).ConfigureAwait(false));
            }
            Console.WriteLine(Protocol.Ready);
            if (await Console.In.ReadLineAsync().ConfigureAwait(false) != Protocol.Go)
            {
                return 3; // the orchestrator went away
            }

            var retry = new RoleSync.Messaging.RetryOptions { MaxAttempts = slice.MaxAttempts };
            var cpu = Environment.CpuUsage.TotalTime;
            var started = Stopwatch.GetTimestamp();
            // Host h takes every Hosts-th message of the slice: the queue hands each host its share of the backlog.
            var runs = await Task.WhenAll(drivers.Select((driver, h) =>
                BacklogRunner.RunAsync(driver, [.. items.Where((_, i) => i % slice.Hosts == h)], spec.Concurrency, retry, TimeSpan.FromSeconds(spec.MaxSeconds))))
                .ConfigureAwait(false);
            var elapsed = Stopwatch.GetElapsedTime(started);

            var outcomes = new Dictionary<string, int>();
            foreach (var (name, count) in drivers.SelectMany(d => d.Outcomes))
            {
                outcomes[name] = outcomes.GetValueOrDefault(name) + count;
            }
            var result = new ScaleOutResult
            {
                Messages = items.Length,
                Applied = runs.Sum(r => r.Done),
                Failed = runs.Sum(r => r.Failed) + (items.Length - runs.Sum(r => r.Done + r.Failed)),
                RetriedAttempts = runs.Sum(r => r.Retried),
                Rescheduled = runs.Sum(r => r.Rescheduled),
                Outcomes = outcomes,
                WaitsMilliseconds = [.. runs.SelectMany(r => r.Waits).Where(t => t > 0).Select(t => t * 1000.0 / Stopwatch.Frequency)],
                ElapsedSeconds = elapsed.TotalSeconds,
                CpuSeconds = (Environment.CpuUsage.TotalTime - cpu).TotalSeconds,
                LedgerReads = drivers.Sum(d => d.Ledger?.Reads ?? 0),
                LedgerWrites = drivers.Sum(d => d.Ledger?.Writes ?? 0),
                EventRecords = drivers.Sum(d => d.Ledger?.EventRecords ?? 0),
                FirstError = runs.Select(r => r.FirstError).FirstOrDefault(e => e is not null),
            };
            Console.WriteLine(Protocol.ResultPrefix + JsonSerializer.Serialize(result, ProtocolJson.Default.ScaleOutResult));
            return 0;
        }
        finally
        {
            foreach (var driver in drivers)
            {
                await driver.DisposeAsync().ConfigureAwait(false);
            }
        }
    }
}
