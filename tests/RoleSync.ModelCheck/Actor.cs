namespace RoleSync.ModelCheck;

/// <summary>
/// Whoever issues requests to the simulated Clerk and ledger: one worker's processing of one delivery, or the reconcile
/// pass. The simulation knows the current actor through an async local (it flows into every continuation), so each
/// pending request is tied to the actor that made it, and a crashed actor's requests can be cut off.
/// </summary>
internal sealed class Actor(string name, CancellationTokenSource cancellation, double priority = 0)
{
    public string Name { get; } = name;

    /// <summary>Random, fixed at its start: half of the time the scheduler answers the highest-priority actor first, so slow workers stay slow (probabilistic concurrency testing).</summary>
    public double Priority { get; } = priority;

    public CancellationTokenSource Cancellation { get; } = cancellation;

    /// <summary>Crashed: its token is cancelled and whatever it still sends is dropped (never reaches Clerk or the ledger).</summary>
    public bool Dead { get; set; }

    /// <summary>Requests of this actor that have not ended (pending, or lost and waiting for their timeout).</summary>
    public int OpenRequests { get; set; }

    /// <summary>PATCHes this actor has sent.</summary>
    public int PatchesSent { get; set; }

    /// <summary>PATCHes this actor has had an answer to.</summary>
    public int PatchesAnswered { get; set; }

    /// <summary>PATCHes of this actor still waiting for an answer.</summary>
    public int PatchesInFlight { get; set; }

    public override string ToString() => Name;
}
