namespace RoleSync.LoadTest;

/// <summary>The figures of one measured run, derived from the child's and the orchestrator's counters.</summary>
public sealed record Figures(Measurement Measurement)
{
    private ChildResult Child => Measurement.Child!;

    public bool Ok => Measurement.Child is { TimedOut: false } c && c.Completed == Measurement.Spec.Messages;
    public double MessagesPerSecond => Child.Completed / Child.ElapsedSeconds;
    public double RequestsPerSecond => Measurement.ClerkRequests / Child.ElapsedSeconds;
    public double RequestsPerMessage => Child.Completed == 0 ? double.NaN : (double)Measurement.ClerkRequests / Child.Completed;
    public double AllocatedPerMessage => Child.Completed == 0 ? double.NaN : (double)Child.AllocatedBytes / Child.Completed;
    public double PeakWorkingSetMiB => Child.PeakWorkingSetBytes / (1024.0 * 1024);
    public double ClientCpuMicroseconds => Child.CpuSeconds * 1e6 / Child.Completed;

    /// <summary>Client CPU less the time the JIT spent compiling during the run (a start-up cost, not a per-message one).</summary>
    public double ClientCpuLessJitMicroseconds => (Child.CpuSeconds - Child.JitMilliseconds / 1000) * 1e6 / Child.Completed;
    public double SandboxCpuMicroseconds => Measurement.OrchestratorCpuSeconds * 1e6 / Child.Completed;
    public double AzuriteCpuMicroseconds => Measurement.AzuriteCpuSeconds * 1e6 / Child.Completed;

    /// <summary>Most requests in one epoch-aligned 10-second window (how the sandbox, like Clerk, counts).</summary>
    public int MaxInFixedWindow => Measurement.RequestTimes.Count == 0 ? 0 :
        Measurement.RequestTimes.GroupBy(t => t.UtcTicks / TimeSpan.TicksPerSecond / 10).Max(g => g.Count());

    /// <summary>Most requests in any 10-second span.</summary>
    public int MaxInSlidingWindow
    {
        get
        {
            var times = Measurement.RequestTimes.Select(t => t.UtcTicks).Order().ToArray();
            int best = 0;
            for (int start = 0, end = 0; end < times.Length; end++)
            {
                while (times[end] - times[start] >= TimeSpan.TicksPerSecond * 10)
                {
                    start++;
                }
                best = Math.Max(best, end - start + 1);
            }
            return best;
        }
    }
}

/// <summary>Markdown tables of the results.</summary>
internal static class Report
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static string DisplayName(VariantKind kind) => kind switch
    {
        VariantKind.Raw => "Raw ceiling (bare HttpClient PATCH)",
        VariantKind.RoleSyncMemory => "RoleSync, in-memory ledger",
        VariantKind.RoleSyncAzurite => "RoleSync, Azurite ledger",
        VariantKind.Naive => "Naive (Key Vault read + new HttpClient per message)",
        _ => kind.ToString(),
    };

    public static string Throughput(IReadOnlyList<Measurement> run)
    {
        var sb = new StringBuilder();
        sb.AppendLine("| Variant | Messages | Failed | Time (s) | Messages/s | p50 (ms) | p99 (ms) | Clerk requests/message | 429s | Key Vault reads: run (process) | Allocated/message | GCs 0/1/2 | Peak working set | CPU µs/message: client / sandbox+vault / Azurite |");
        sb.AppendLine("|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|");
        foreach (var m in run)
        {
            if (m.Child is not { } c)
            {
                sb.AppendLine(Inv, $"| {DisplayName(m.Spec.Kind)} | {m.Spec.Messages} | FAILED: {m.Error} | | | | | | | | | | | |");
                continue;
            }
            var f = new Figures(m);
            var completed = c.Completed == m.Spec.Messages ? $"{c.Completed}" : $"{c.Completed} of {m.Spec.Messages}{(c.TimedOut ? " (time limit)" : "")}";
            sb.AppendLine(Inv, $"| {DisplayName(m.Spec.Kind)} | {completed} | {c.Failed} | {c.ElapsedSeconds:0.00} | {f.MessagesPerSecond:0} | {c.P50Milliseconds:0.00} | {c.P99Milliseconds:0.00} | {f.RequestsPerMessage:0.000} | {m.RateLimited} | {m.VaultReadsRun} ({m.VaultReadsProcess}) | {Bytes(f.AllocatedPerMessage)} | {c.Gen0Collections}/{c.Gen1Collections}/{c.Gen2Collections} | {f.PeakWorkingSetMiB:0} MiB | {f.ClientCpuMicroseconds:0} / {f.SandboxCpuMicroseconds:0} / {f.AzuriteCpuMicroseconds:0} |");
        }
        return sb.ToString();
    }

    public static string Summary(IReadOnlyList<IReadOnlyList<Measurement>> runs)
    {
        var sb = new StringBuilder();
        sb.AppendLine("| Variant | Messages/s, median | min | max | spread (max-min)/median |");
        sb.AppendLine("|---|--:|--:|--:|--:|");
        foreach (var kind in runs.SelectMany(r => r).Select(m => m.Spec.Kind).Distinct())
        {
            var rates = Rates(runs, kind);
            if (rates.Length == 0)
            {
                continue;
            }
            double median = Median(rates);
            sb.AppendLine(Inv, $"| {DisplayName(kind)} | {median:0} | {rates.Min():0} | {rates.Max():0} | {(rates.Max() - rates.Min()) / median:P0} |");
        }
        sb.AppendLine();
        sb.AppendLine("| Ratio (throughput) | median | per run |");
        sb.AppendLine("|---|--:|---|");
        foreach (var (numerator, denominator) in new[]
        {
            (VariantKind.RoleSyncMemory, VariantKind.Raw), (VariantKind.RoleSyncAzurite, VariantKind.Raw),
            (VariantKind.RoleSyncMemory, VariantKind.Naive), (VariantKind.RoleSyncAzurite, VariantKind.Naive),
        })
        {
            var ratios = runs.Select(run => Ratio(run, numerator, denominator)).OfType<double>().ToArray();
            if (ratios.Length > 0)
            {
                sb.AppendLine(Inv, $"| {DisplayName(numerator)} ÷ {DisplayName(denominator)} | {Median(ratios):0.00} | {string.Join(", ", ratios.Select(r => r.ToString("0.00", Inv)))} |");
            }
        }
        return sb.ToString();
    }

    public static string RateLimited(IReadOnlyList<Measurement> runs, int limiterBudget, int clerkLimit)
    {
        var sb = new StringBuilder();
        sb.AppendLine(Inv, $"| Variant | Messages | Failed | Time (s) | Messages/s | Clerk requests/s | of limiter budget ({limiterBudget / 10.0:0}/s) | of Clerk's limit ({clerkLimit / 10.0:0}/s) | 429s (of requests) | Most requests in a fixed 10-s window | in any 10-s span | p50 / p99 (ms) | Key Vault reads: run (process) | Client CPU per message (share of one core): all / less JIT compilation |");
        sb.AppendLine("|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|");
        foreach (var m in runs)
        {
            if (m.Child is not { } c)
            {
                sb.AppendLine(Inv, $"| {DisplayName(m.Spec.Kind)} | {m.Spec.Messages} | FAILED: {m.Error} | | | | | | | | | | | |");
                continue;
            }
            var f = new Figures(m);
            var completed = c.Completed == m.Spec.Messages ? $"{c.Completed}" : $"{c.Completed} of {m.Spec.Messages}{(c.TimedOut ? " (time limit)" : "")}";
            double share = m.ClerkRequests == 0 ? 0 : (double)m.RateLimited / m.ClerkRequests;
            sb.AppendLine(Inv, $"| {DisplayName(m.Spec.Kind)} | {completed} | {c.Failed} | {c.ElapsedSeconds:0.0} | {f.MessagesPerSecond:0.0} | {f.RequestsPerSecond:0.0} | {f.RequestsPerSecond / (limiterBudget / 10.0):P1} | {f.RequestsPerSecond / (clerkLimit / 10.0):P1} | {m.RateLimited} ({share:P1}) | {f.MaxInFixedWindow} | {f.MaxInSlidingWindow} | {c.P50Milliseconds:0} / {c.P99Milliseconds:0} | {m.VaultReadsRun} ({m.VaultReadsProcess}) | {f.ClientCpuMicroseconds:0} µs ({c.CpuSeconds / c.ElapsedSeconds:P1}) / {f.ClientCpuLessJitMicroseconds:0} µs ({(c.CpuSeconds - c.JitMilliseconds / 1000) / c.ElapsedSeconds:P1}) |");
        }
        return sb.ToString();
    }

    /// <summary>Runtime counters of the client process during the measured run: where its CPU goes.</summary>
    public static string Diagnostics(IEnumerable<Measurement> measurements)
    {
        var sb = new StringBuilder();
        sb.AppendLine("| Run | Warm-up (messages, s) | Client CPU µs/message | Methods JIT-compiled during the run (ms) | Thread-pool work items/message | Lock contentions/message | GC pause (ms) | GCs 0/1/2 | Thread-pool threads at end |");
        sb.AppendLine("|---|--:|--:|--:|--:|--:|--:|--:|--:|");
        foreach (var m in measurements.Where(m => m.Child is not null))
        {
            var c = m.Child!;
            var f = new Figures(m);
            sb.AppendLine(Inv, $"| {m.Spec.Name} | {c.WarmupMessages}, {c.WarmupSeconds:0.0} | {f.ClientCpuMicroseconds:0} | {c.JitMethods} ({c.JitMilliseconds:0}) | {(double)c.ThreadPoolWorkItems / c.Completed:0.00} | {(double)c.LockContentions / c.Completed:0.000} | {c.GcPauseMilliseconds:0} | {c.Gen0Collections}/{c.Gen1Collections}/{c.Gen2Collections} | {c.ThreadPoolThreads} |");
        }
        return sb.ToString();
    }

    public static string Outcomes(IEnumerable<Measurement> measurements)
    {
        var sb = new StringBuilder();
        foreach (var m in measurements.Where(m => m.Child is not null))
        {
            sb.AppendLine(Inv, $"- {m.Spec.Name}: {string.Join(", ", m.Child!.Outcomes.OrderByDescending(kv => kv.Value).Select(kv => $"{kv.Key} {kv.Value}"))}");
        }
        return sb.ToString();
    }

    public static double? Ratio(IReadOnlyList<Measurement> run, VariantKind numerator, VariantKind denominator)
    {
        var a = run.FirstOrDefault(m => m.Spec.Kind == numerator && m.Child is not null);
        var b = run.FirstOrDefault(m => m.Spec.Kind == denominator && m.Child is not null);
        return a is null || b is null ? null : new Figures(a).MessagesPerSecond / new Figures(b).MessagesPerSecond;
    }

    public static double[] Rates(IReadOnlyList<IReadOnlyList<Measurement>> runs, VariantKind kind) =>
        [.. runs.SelectMany(r => r).Where(m => m.Spec.Kind == kind && m.Child is not null).Select(m => new Figures(m).MessagesPerSecond)];

    public static double Median(double[] values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }

    private static string Bytes(double bytes) => bytes >= 10 * 1024 ? $"{bytes / 1024:0.0} KiB" : $"{bytes:0} B";
}
