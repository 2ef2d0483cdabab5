using System.Globalization;
using System.Text;

namespace RoleSync.ModelCheck;

/// <summary>Counts per <see cref="Counter"/>, for one run or summed over many (with how many runs saw each at least once).</summary>
internal sealed class FaultCounts
{
    private static readonly Counter[] All = Enum.GetValues<Counter>();
    private readonly long[] _totals = new long[All.Length];
    private readonly long[] _runsWithAny = new long[All.Length];

    public long Runs { get; private set; }

    public long this[Counter counter] => _totals[(int)counter];

    public void Add(Counter counter, int amount = 1) => _totals[(int)counter] += amount;

    /// <summary>Adds one run's counts.</summary>
    public void AddRun(FaultCounts run)
    {
        Runs++;
        for (int i = 0; i < _totals.Length; i++)
        {
            _totals[i] += run._totals[i];
            _runsWithAny[i] += run._totals[i] > 0 ? 1 : 0;
        }
    }

    /// <summary>One line: "name=total" for every counter that is not zero.</summary>
    public override string ToString() => string.Join(" ", All
        .Where(c => _totals[(int)c] != 0)
        .Select(c => string.Create(CultureInfo.InvariantCulture, $"{c}={_totals[(int)c]}")));

    /// <summary>Adds the runs summed in <paramref name="other"/>.</summary>
    public void AddRuns(FaultCounts other)
    {
        Runs += other.Runs;
        for (int i = 0; i < _totals.Length; i++)
        {
            _totals[i] += other._totals[i];
            _runsWithAny[i] += other._runsWithAny[i];
        }
    }

    /// <summary>A table: counter, total, runs that saw it at least once.</summary>
    public string ToTable()
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"{"counter",-30} {"total",9} {"runs with it",13}\n");
        foreach (var c in All)
        {
            text.Append(CultureInfo.InvariantCulture, $"{c,-30} {_totals[(int)c],9} {_runsWithAny[(int)c],13}\n");
        }
        return text.ToString();
    }
}
