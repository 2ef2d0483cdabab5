namespace RoleSync.LoadTest;

/// <summary>The figures of one scale-out run, from the sandbox's recording and the children's results.</summary>
public sealed class ScaleOutFigures
{
    public static readonly long WindowTicks = TimeSpan.FromSeconds(10).Ticks;

    public ScaleOutFigures(ScaleOutMeasurement measurement)
    {
        ArgumentNullException.ThrowIfNull(measurement);
        Measurement = measurement;
        Windows = [.. measurement.Requests
            .GroupBy(r => (r.At.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / WindowTicks)
            .OrderBy(g => g.Key)
            .Select(g => new WindowCounts(g.Key,
                g.Count(r => r.RoleSync), g.Count(r => r.RoleSync && r.Status == 429),
                g.Count(r => !r.RoleSync), g.Count(r => !r.RoleSync && r.Status == 429)))];
        long goIndex = (measurement.Go.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / WindowTicks;
        long endIndex = (measurement.End.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / WindowTicks;
        FullWindows = [.. Windows.Where(w => w.Index > goIndex && w.Index < endIndex)];
    }

    public ScaleOutMeasurement Measurement { get; }

    /// <summary>Every window with a request, in order (the first and last are partial).</summary>
    public IReadOnlyList<WindowCounts> Windows { get; }

    /// <summary>The windows wholly between "go" and the last host finishing.</summary>
    public IReadOnlyList<WindowCounts> FullWindows { get; }

    public int Messages => Measurement.Hosts.Sum(h => h.Messages);
    public int Failed => Measurement.Hosts.Sum(h => h.Failed) + (Measurement.Scenario.Messages - Messages);
    public int Retried => Measurement.Hosts.Sum(h => h.RetriedAttempts);
    public int Rescheduled => Measurement.Hosts.Sum(h => h.Rescheduled);
    public double Seconds => (Measurement.End - Measurement.Go).TotalSeconds;
    public int RoleSyncRequests => Measurement.Requests.Count(r => r.RoleSync);
    public int RoleSyncRateLimited => Measurement.Requests.Count(r => r.RoleSync && r.Status == 429);
    public int AppRequests => Measurement.Requests.Count(r => !r.RoleSync);
    public int AppRateLimited => Measurement.Requests.Count(r => !r.RoleSync && r.Status == 429);
    public int MaxRoleSyncWindow => Windows.Count == 0 ? 0 : Windows.Max(w => w.RoleSync);
    public double MedianRoleSyncWindow => FullWindows.Count == 0 ? double.NaN : Report.Median([.. FullWindows.Select(w => (double)w.RoleSync)]);
    public int MaxTotalWindow => Windows.Count == 0 ? 0 : Windows.Max(w => w.Total);

    /// <summary>Median full window ÷ the deployment budget.</summary>
    public double BudgetShareMedian => MedianRoleSyncWindow / Measurement.Budget;

    /// <summary>All RoleSync requests ÷ (budget × run time in windows): the start-up and the tail included.</summary>
    public double BudgetShareRun => RoleSyncRequests / (Measurement.Budget * Seconds / 10);

    public double[] Waits => [.. Measurement.Hosts.SelectMany(h => h.WaitsMilliseconds)];

    /// <summary>The sum of the hosts' limiter shares: budget ÷ MaxInstances (whole requests) × hosts.</summary>
    public int FleetShare => Math.Max(1, Measurement.Budget / Measurement.Scenario.MaxInstances) * Measurement.Scenario.Hosts;
}
