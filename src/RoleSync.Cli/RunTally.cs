using RoleSync.Processing;

namespace RoleSync.Cli;

/// <summary>Counts of outcomes for the stderr summary and the progress line. Thread-safe.</summary>
internal sealed class RunTally
{
    private static readonly Outcome[] Order =
        [Outcome.Applied, Outcome.WouldApply, Outcome.WouldCreate, Outcome.WouldRemove, Outcome.Unchanged, Outcome.NotFound, Outcome.Stale, Outcome.Duplicate, Outcome.Rejected, Outcome.Transient];

    private readonly int[] _counts = new int[Enum.GetValues<Outcome>().Length];
    private int _total;

    public int Total => Volatile.Read(ref _total);

    public void Add(Outcome outcome)
    {
        Interlocked.Increment(ref _counts[(int)outcome]);
        Interlocked.Increment(ref _total);
    }

    public int Count(Outcome outcome) => Volatile.Read(ref _counts[(int)outcome]);

    /// <summary>Exit code 2 when any message ended rejected or failed.</summary>
    public bool AllSettledWell => Count(Outcome.Rejected) == 0 && Count(Outcome.Transient) == 0;

    /// <summary>"12 messages: 6 applied, 1 stale, 1 duplicate, 4 rejected" (outcomes with a zero count left out).</summary>
    public string Describe()
    {
        var parts = Order.Where(o => Count(o) > 0).Select(o => $"{Count(o)} {KebabCaseEnumConverter<Outcome>.NameOf(o)}");
        var counts = string.Join(", ", parts);
        return RolesyncCli.Plural(Total, "message") + (counts.Length > 0 ? ": " + counts : "");
    }

    /// <summary>Rewrites one stderr line with the counts so far, from one second into the run until <paramref name="ct"/> is canceled.</summary>
    public async Task ShowProgressAsync(TextWriter stderr, TimeProvider timeProvider, CancellationToken ct)
    {
        var started = timeProvider.GetTimestamp();
        string? shown = null;
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(250), timeProvider);
        try
        {
            while (await timer.WaitForNextTickAsync(ct).ConfigureAwait(false))
            {
                var line = Describe();
                if (line != shown && timeProvider.GetElapsedTime(started) >= TimeSpan.FromSeconds(1))
                {
                    await stderr.WriteAsync($"\r{line} so far\u001b[K").ConfigureAwait(false);
                    shown = line;
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
        if (shown is not null)
        {
            await stderr.WriteAsync("\r\u001b[K").ConfigureAwait(false);
        }
    }
}
