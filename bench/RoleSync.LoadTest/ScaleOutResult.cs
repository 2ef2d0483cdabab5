namespace RoleSync.LoadTest;

/// <summary>What a scale-out child measured: RoleSync hosts fill the message fields, the customer app the App fields.</summary>
public sealed record ScaleOutResult
{
    public int Messages { get; init; }
    public int Applied { get; init; }

    /// <summary>Messages that did not end Applied within their attempts.</summary>
    public int Failed { get; init; }

    /// <summary>Retry copies that spent an attempt (the settlement policy's next attempt).</summary>
    public int RetriedAttempts { get; init; }

    /// <summary>Reschedules that spent no attempt (Clerk's shared limit spent: the settlement policy keeps the attempt number).</summary>
    public int Rescheduled { get; init; }
    public Dictionary<string, int> Outcomes { get; init; } = [];

    /// <summary>Per message, the time spent in <c>ProcessAsync</c> over all its attempts (mostly waiting for a permit).</summary>
    public double[] WaitsMilliseconds { get; init; } = [];
    public double ElapsedSeconds { get; init; }
    public double CpuSeconds { get; init; }
    public long LedgerReads { get; init; }
    public long LedgerWrites { get; init; }
    public long EventRecords { get; init; }
    public string? FirstError { get; init; }

    public int AppSent { get; init; }
    public int AppOk { get; init; }
    public int AppRateLimited { get; init; }
    public int AppErrors { get; init; }
    public DateTimeOffset? BurstFrom { get; init; }
    public DateTimeOffset? BurstTo { get; init; }
}
