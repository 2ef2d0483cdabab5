namespace RoleSync.LoadTest;

/// <summary>Markdown tables of the scale-out runs (issue 13).</summary>
internal static class ScaleOutReport
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static string Table(IEnumerable<ScaleOutMeasurement> runs)
    {
        var sb = new StringBuilder();
        sb.AppendLine("| Run | Hosts (MaxInstances) | Limiter share per host / fleet | Messages | Failed | Retries (attempt spent) / reschedules (none spent) | Time (s) | RoleSync requests / 10 s: max / median | Budget used: median window / whole run | RoleSync 429s (of its requests) | App requests, 429s: sandbox / own count | Most requests in a window, all callers | Wait per message p50 / p99 (ms) | Key Vault reads | Client CPU (s) | Load after |");
        sb.AppendLine("|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|");
        foreach (var m in runs)
        {
            if (m.Error is not null && m.Hosts.Count == 0)
            {
                sb.AppendLine(Inv, $"| {m.Scenario.Name} | {m.Scenario.Hosts} ({m.Scenario.MaxInstances}) | FAILED: {m.Error} | | | | | | | | | | | | | |");
                continue;
            }
            var f = new ScaleOutFigures(m);
            var waits = f.Waits;
            double p50 = LoadRunner.Percentile(waits, 50), p99 = LoadRunner.Percentile(waits, 99);
            double share429 = f.RoleSyncRequests == 0 ? 0 : (double)f.RoleSyncRateLimited / f.RoleSyncRequests;
            var error = m.Error is null ? "" : $" ({m.Error})";
            sb.AppendLine(Inv, $"| {m.Scenario.Name}{error} | {m.Scenario.Hosts} ({m.Scenario.MaxInstances}) | {Math.Max(1, m.Budget / m.Scenario.MaxInstances)} / {f.FleetShare} | {f.Messages} of {m.Scenario.Messages} | {f.Failed} | {f.Retried} / {f.Rescheduled} | {f.Seconds:0.0} | {f.MaxRoleSyncWindow} / {f.MedianRoleSyncWindow:0} | {f.BudgetShareMedian:P1} / {f.BudgetShareRun:P1} | {f.RoleSyncRateLimited} ({share429:P2}) | {f.AppRequests}, {f.AppRateLimited} / {m.App?.AppRateLimited.ToString(Inv) ?? "?"} | {f.MaxTotalWindow} | {p50:0} / {p99:0} | {m.VaultReads} | {m.Hosts.Sum(h => h.CpuSeconds):0.0} | {m.LoadAfter} |");
        }
        return sb.ToString();
    }

    /// <summary>RoleSync's requests in every window of each run (429s in brackets), then the app's.</summary>
    public static string Windows(IEnumerable<ScaleOutMeasurement> runs)
    {
        var sb = new StringBuilder();
        sb.AppendLine("Requests per 10-s window (first and last partial), RoleSync [of them 429] + customer app [429]:");
        sb.AppendLine();
        foreach (var m in runs.Where(r => r.Requests.Count > 0))
        {
            var f = new ScaleOutFigures(m);
            sb.AppendLine(Inv, $"- {m.Scenario.Name}: {string.Join(" ", f.Windows.Select(w => Cell(w)))}");
        }
        sb.AppendLine();
        return sb.ToString();

        static string Cell(WindowCounts w) =>
            string.Create(Inv, $"{w.RoleSync}{(w.RoleSyncRateLimited > 0 ? $"[{w.RoleSyncRateLimited}]" : "")}+{w.App}{(w.AppRateLimited > 0 ? $"[{w.AppRateLimited}]" : "")}");
    }

    /// <summary>The windows around the customer app's burst: how fast RoleSync gave way, and came back.</summary>
    public static string Burst(ScaleOutMeasurement m)
    {
        var f = new ScaleOutFigures(m);
        var from = m.App!.BurstFrom!.Value;
        var to = m.App.BurstTo!.Value;
        var sb = new StringBuilder();
        sb.AppendLine(Inv, $"Burst in {m.Scenario.Name}: the app sends {m.Scenario.App.BurstRatePer10Seconds} / 10 s from {(from - m.Go).TotalSeconds:0} s to {(to - m.Go).TotalSeconds:0} s after go, {m.Scenario.App.RatePer10Seconds} / 10 s otherwise.");
        sb.AppendLine();
        sb.AppendLine("| Window (s after go) | RoleSync sent | RoleSync 429s | App sent | App 429s | RoleSync + app | ≤ limit? |");
        sb.AppendLine("|---|--:|--:|--:|--:|--:|---|");
        foreach (var w in f.Windows.Where(w => w.Start >= from.AddSeconds(-20) && w.Start < to.AddSeconds(60)))
        {
            var start = (w.Start - m.Go).TotalSeconds;
            var marker = w.Start >= from && w.Start < to ? " (burst)" : "";
            sb.AppendLine(Inv, $"| {start:0}–{start + 10:0}{marker} | {w.RoleSync} | {w.RoleSyncRateLimited} | {w.App} | {w.AppRateLimited} | {w.Total} | {(w.Total <= m.InstanceLimit ? "yes" : "**no**")} |");
        }
        var during = f.Windows.Where(w => w.Start >= from && w.Start < to).ToList();
        int over = during.TakeWhile(w => w.Total > m.InstanceLimit).Count();
        var after = f.FullWindows.Where(w => w.Start >= to).ToList();
        int recovery = after.TakeWhile(w => w.RoleSync < 0.95 * m.Budget).Count();
        sb.AppendLine();
        sb.AppendLine(Inv, $"Windows of the burst over the limit before RoleSync + app ≤ {m.InstanceLimit}: {over} of {during.Count}; burst windows over the limit in all: {during.Count(w => w.Total > m.InstanceLimit)}; " +
            $"windows after the burst until RoleSync is back at ≥ 95 % of its budget: {recovery}{(recovery == after.Count ? " (not within the run)" : "")}; " +
            $"RoleSync 429s {f.RoleSyncRateLimited}, app 429s {f.AppRateLimited}; messages failed {f.Failed}, retries that spent an attempt {f.Retried}, reschedules that spent none {f.Rescheduled}, completed {m.Hosts.Sum(h => h.Applied)} of {m.Scenario.Messages}.");
        sb.AppendLine();
        return sb.ToString();
    }

    /// <summary>Operation counts per message, measured in the runs: the inputs of the cost table.</summary>
    public static string Costs(IEnumerable<ScaleOutMeasurement> runs)
    {
        var sb = new StringBuilder();
        sb.AppendLine("| Run | Clerk requests / message | Ledger reads / message | Ledger conditional writes / message | Event-identity inserts / message | Processing attempts / message | Key Vault reads (hosts) | Outcomes |");
        sb.AppendLine("|---|--:|--:|--:|--:|--:|--:|---|");
        foreach (var m in runs.Where(r => r.Hosts.Count > 0))
        {
            var f = new ScaleOutFigures(m);
            double n = Math.Max(1, f.Messages);
            var outcomes = new Dictionary<string, int>();
            foreach (var (name, count) in m.Hosts.SelectMany(h => h.Outcomes))
            {
                outcomes[name] = outcomes.GetValueOrDefault(name) + count;
            }
            sb.AppendLine(Inv, $"| {m.Scenario.Name} | {f.RoleSyncRequests / n:0.000} | {m.Hosts.Sum(h => h.LedgerReads) / n:0.000} | {m.Hosts.Sum(h => h.LedgerWrites) / n:0.000} | {m.Hosts.Sum(h => h.EventRecords) / n:0.000} | {(f.Messages + f.Retried + f.Rescheduled) / n:0.000} | {m.VaultReads} ({m.Scenario.Hosts} hosts) | {string.Join(", ", outcomes.OrderByDescending(kv => kv.Value).Select(kv => $"{kv.Key} {kv.Value}"))} |");
        }
        return sb.ToString();
    }
}
