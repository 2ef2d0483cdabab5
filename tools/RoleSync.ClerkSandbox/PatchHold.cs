namespace RoleSync.ClerkSandbox;

/// <summary>
/// A late-PATCH fault (<see cref="ClerkSandbox.HoldPatches"/>): the next PATCH requests of one membership are received
/// and accepted, but get no answer (the client times out; the connection is reset when the hold lands or is disposed)
/// and are applied, in arrival order, only when the test says so: <see cref="Land"/> now, or <see cref="LandAfter"/>
/// other PATCHes of the membership were applied. Deterministic: tests wait on <see cref="WhenHeldAsync"/> and
/// <see cref="Landed"/>, never on the clock. Held requests are recorded with <see cref="RecordedRequest.Held"/>,
/// landings in <see cref="ClerkSandbox.LandedPatches"/>.
/// </summary>
public sealed class PatchHold : IDisposable
{
    private readonly Lock _gate = new();
    private readonly PatchHolds _owner;
    private readonly List<HeldPatch> _held = [];
    private readonly List<(int Count, TaskCompletionSource Signal)> _waiters = [];
    private readonly TaskCompletionSource<IReadOnlyList<LandedPatch>> _landed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _capacity;
    private int _heldCount;
    private int _landAfter = -1;
    private bool _ended;

    internal PatchHold(PatchHolds owner, string organizationId, string userId, int count)
    {
        _owner = owner;
        OrganizationId = organizationId;
        UserId = userId;
        _capacity = count;
    }

    public string OrganizationId { get; }

    public string UserId { get; }

    /// <summary>PATCH requests held so far (landed ones included).</summary>
    public int HeldCount
    {
        get
        {
            lock (_gate)
            {
                return _heldCount;
            }
        }
    }

    /// <summary>Completes with the landings when the held PATCHes landed (by <see cref="Land"/> or <see cref="LandAfter"/>); canceled when the hold is disposed first.</summary>
    public Task<IReadOnlyList<LandedPatch>> Landed => _landed.Task;

    /// <summary>Completes once <paramref name="count"/> PATCH requests are held; fails when the hold ends with fewer.</summary>
    public Task WhenHeldAsync(int count = 1, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        lock (_gate)
        {
            if (_heldCount >= count)
            {
                return Task.CompletedTask;
            }

            if (_ended)
            {
                return Task.FromException(Ended(count));
            }

            var signal = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((count, signal));
            return signal.Task.WaitAsync(cancellationToken);
        }
    }

    /// <summary>
    /// Stops holding and applies the held PATCHes now, in arrival order, under Clerk's rules as they stand now; their
    /// connections are reset if the clients still wait. Returns the landings (empty when none was held).
    /// </summary>
    /// <exception cref="InvalidOperationException">The hold has already landed or was disposed.</exception>
    public IReadOnlyList<LandedPatch> Land() =>
        TryEnd(out var held) ? LandNow(held) : throw new InvalidOperationException("This hold has already landed or was disposed.");

    /// <summary>
    /// Lands the held PATCHes right after <paramref name="patches"/> further PATCHes of this membership are applied
    /// (answered 200), before the last of those is answered; until then matching PATCHes are still held while
    /// the hold has room. Await <see cref="Landed"/> to see the landings.
    /// </summary>
    /// <exception cref="InvalidOperationException">The hold has already landed or was disposed.</exception>
    public void LandAfter(int patches)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(patches, 1);
        lock (_gate)
        {
            if (_ended)
            {
                throw new InvalidOperationException("This hold has already landed or was disposed.");
            }

            _landAfter = patches;
        }
    }

    /// <summary>Ends the hold without landing: PATCHes held and not landed are never applied (a request Clerk lost); their connections are reset.</summary>
    public void Dispose()
    {
        if (TryEnd(out var held))
        {
            foreach (var patch in held)
            {
                patch.Release();
            }

            _landed.TrySetCanceled();
        }
    }

    /// <summary>Takes the PATCH when this hold has room; false when it is full or ended.</summary>
    internal bool TryHold(HeldPatch patch)
    {
        lock (_gate)
        {
            if (_ended || _capacity == 0)
            {
                return false;
            }

            _capacity--;
            patch.MarkHeld();
            _held.Add(patch);
            _heldCount++;
            foreach (var waiter in _waiters.Where(w => w.Count <= _heldCount).ToList())
            {
                waiter.Signal.TrySetResult();
                _waiters.Remove(waiter);
            }

            return true;
        }
    }

    /// <summary>A PATCH of this membership that was not held has been applied: counts down <see cref="LandAfter"/>.</summary>
    internal void OnApplied()
    {
        lock (_gate)
        {
            if (_ended || _landAfter < 0 || --_landAfter > 0)
            {
                return;
            }
        }

        if (TryEnd(out var held))
        {
            LandNow(held);
        }
    }

    private IReadOnlyList<LandedPatch> LandNow(List<HeldPatch> held)
    {
        var landings = new List<LandedPatch>(held.Count);
        foreach (var patch in held.OrderBy(p => p.Sequence))
        {
            landings.Add(_owner.Apply(this, patch));
            patch.Release();
        }

        _landed.TrySetResult(landings);
        return landings;
    }

    private bool TryEnd(out List<HeldPatch> held)
    {
        lock (_gate)
        {
            held = [.. _held];
            if (_ended)
            {
                return false;
            }

            _ended = true;
            _held.Clear();
            foreach (var waiter in _waiters)
            {
                waiter.Signal.TrySetException(Ended(waiter.Count));
            }

            _waiters.Clear();
        }

        _owner.Remove(this);
        return true;
    }

    private InvalidOperationException Ended(int count) =>
        new($"The hold on {OrganizationId}/{UserId} ended with {_heldCount} PATCH(es) held, not {count}.");
}
