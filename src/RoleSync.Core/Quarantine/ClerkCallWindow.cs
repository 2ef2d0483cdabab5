namespace RoleSync.Quarantine;

/// <summary>
/// This host's Clerk calls of the last minute, in one-second buckets on the <see cref="TimeProvider"/>: how many, and
/// how many failed transiently. Fed by <see cref="ClerkCallCounter"/>; read by <see cref="QuarantineGuard"/> for the
/// <see cref="QuarantineTriggers.ClerkFailureRatio"/> trigger. In memory only.
/// </summary>
public sealed class ClerkCallWindow(TimeProvider timeProvider)
{
    private const int Buckets = 60;
    private readonly Lock _gate = new();
    private readonly long[] _second = new long[Buckets];
    private readonly int[] _calls = new int[Buckets];
    private readonly int[] _failures = new int[Buckets];

    /// <summary>Counts one finished Clerk call.</summary>
    public void Record(bool failedTransiently)
    {
        var now = Second();
        lock (_gate)
        {
            var i = (int)(now % Buckets);
            if (_second[i] != now)
            {
                _second[i] = now;
                _calls[i] = 0;
                _failures[i] = 0;
            }
            _calls[i]++;
            if (failedTransiently)
            {
                _failures[i]++;
            }
        }
    }

    /// <summary>The calls and transient failures of the last 60 seconds.</summary>
    public (int Calls, int Failures) LastMinute()
    {
        var now = Second();
        int calls = 0, failures = 0;
        lock (_gate)
        {
            for (int i = 0; i < Buckets; i++)
            {
                if (now - _second[i] is >= 0 and < Buckets) // a clock set back does not count the future
                {
                    calls += _calls[i];
                    failures += _failures[i];
                }
            }
        }
        return (calls, failures);
    }

    /// <summary>Forgets every call (the circuit closed: failures from before must not open it again).</summary>
    public void Reset()
    {
        lock (_gate)
        {
            Array.Clear(_calls);
            Array.Clear(_failures);
        }
    }

    private long Second() => timeProvider.GetUtcNow().ToUnixTimeSeconds();
}
