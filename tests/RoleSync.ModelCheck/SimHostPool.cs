namespace RoleSync.ModelCheck;

/// <summary>
/// Hosts for the seeds of one thread, one per <c>Clerk:MaxRetryAttempts</c> value, reused from seed to seed. A host goes
/// back to the pool only when its run left nothing behind (every processing ended, no timer armed), so a seed runs the
/// same on a reused host as on a new one (the determinism test checks this).
/// </summary>
internal sealed class SimHostPool : IDisposable
{
    private readonly Dictionary<int, SimHost> _idle = [];

    public SimHost Rent(int maxRetryAttempts) =>
        _idle.Remove(maxRetryAttempts, out var host) ? host : new SimHost(maxRetryAttempts);

    public void Return(SimHost host, bool clean)
    {
        if (!clean)
        {
            // Polly's pipeline disposal waits, on virtual time that no longer moves, for executions still in flight:
            // such a host is left to the garbage collector.
            return;
        }
        if (!_idle.TryAdd(host.MaxRetryAttempts, host))
        {
            host.Dispose();
        }
    }

    public void Dispose()
    {
        foreach (var host in _idle.Values)
        {
            host.Dispose();
        }
        _idle.Clear();
    }
}
