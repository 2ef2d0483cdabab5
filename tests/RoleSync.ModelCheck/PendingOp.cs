namespace RoleSync.ModelCheck;

/// <summary>
/// A request to the simulated Clerk or ledger that waits for the simulation: its Task is backed by a
/// TaskCompletionSource that only the simulation completes, without RunContinuationsAsynchronously, so completing it
/// runs the waiting actor's continuation inline, on the simulation's thread, up to the actor's next pending request.
/// Cancelling the actor's token (a crash, a Polly timeout) cancels it through <see cref="OnCanceled"/>.
/// </summary>
internal abstract class PendingOp
{
    private CancellationTokenRegistration _registration;

    protected PendingOp(Simulation simulation, Actor actor, CancellationToken cancellationToken)
    {
        Simulation = simulation;
        Actor = actor;
        CancellationToken = cancellationToken;
        Id = simulation.NextOpId();
    }

    public int Id { get; }

    public Actor Actor { get; }

    public Simulation Simulation { get; }

    public CancellationToken CancellationToken { get; }

    /// <summary>The simulation may resolve it now (false once its answer is lost: only a cancellation ends it then).</summary>
    public bool Resolvable { get; protected set; } = true;

    public bool Done { get; private set; }

    public abstract bool IsClerk { get; }

    public abstract string Describe();

    /// <summary>Registers with the simulation and with the token (call last in the subclass constructor).</summary>
    protected void Start()
    {
        Simulation.AddPending(this);
        Actor.OpenRequests++;
        _registration = CancellationToken.Register(static op => ((PendingOp)op!).Cancel(), this);
    }

    /// <summary>Chooses an outcome (a normal answer or a fault) and completes the request.</summary>
    public abstract void Resolve();

    /// <summary>Takes the request off the simulation's lists before its continuation runs.</summary>
    protected void Finish()
    {
        Done = true;
        Actor.OpenRequests--;
        Simulation.RemovePending(this);
        _registration.Dispose();
    }

    /// <summary>The answer will never come: the request stays registered only for its cancellation.</summary>
    protected void Lose()
    {
        Resolvable = false;
        Simulation.RemovePending(this);
    }

    private void Cancel()
    {
        if (Done)
        {
            return;
        }
        Done = true;
        Actor.OpenRequests--;
        Simulation.RemovePending(this);
        OnCanceled();
    }

    /// <summary>Decides what the cancelled request did on the server (nothing, or its effect) and cancels its task.</summary>
    protected abstract void OnCanceled();
}
