using Azure;
using RoleSync.Ledger;

namespace RoleSync.ModelCheck;

/// <summary>
/// One pending ledger read (<see cref="Record"/> null) or conditional write. Resolved normally, it reads or commits at
/// that moment. Faults: a 5xx or a timeout without effect; for a write, an ambiguous answer (committed on the server,
/// reported as a 5xx or timeout); a crash while it is pending may also leave the write committed.
/// </summary>
internal sealed class LedgerOp : PendingOp
{
    private readonly SimLedger _ledger;
    private readonly (string Org, string User) _key;
    private readonly TaskCompletionSource<MembershipRecord?> _completion = new();

    private LedgerOp(Simulation simulation, Actor actor, SimLedger ledger, (string, string) key, MembershipRecord? record, CancellationToken cancellationToken)
        : base(simulation, actor, cancellationToken)
    {
        _ledger = ledger;
        _key = key;
        Record = record;
        Start();
    }

    public MembershipRecord? Record { get; }

    public override bool IsClerk => false;

    public static Task<MembershipRecord?> Start(Simulation simulation, SimLedger ledger, (string, string) key, MembershipRecord? record, CancellationToken cancellationToken)
    {
        var actor = simulation.EnterRequest();
        if (actor.Dead || cancellationToken.IsCancellationRequested)
        {
            simulation.Log($"{actor} ledger request dropped (cancelled)");
            return Task.FromCanceled<MembershipRecord?>(cancellationToken.IsCancellationRequested ? cancellationToken : new CancellationToken(true));
        }
        return new LedgerOp(simulation, actor, ledger, key, record, cancellationToken)._completion.Task;
    }

    public override string Describe() => Record is null
        ? $"ledger.Get {_key.Org}/{_key.User}"
        : $"ledger.Write {_key.Org}/{_key.User} {Show(Record)}";

    public override void Resolve()
    {
        var sim = Simulation;
        bool afterPatch = Actor.PatchesSent > 0;
        if (Record is not null && sim.TryFault(afterPatch ? Faults.AmbiguousWriteAfterPatch : Faults.AmbiguousWriteBeforePatch))
        {
            var stored = _ledger.Commit(Record);
            sim.Count(Counter.AmbiguousLedgerWrites);
            Fail(sim.Random.Next(2) == 0, $"committed ({(stored is null ? "412" : "etag " + stored.ETag)}) but reported failed");
            return;
        }
        if (sim.TryFault(afterPatch ? Faults.LedgerErrorAfterPatch : Faults.LedgerErrorBeforePatch))
        {
            bool timeout = sim.Random.Next(2) == 0;
            sim.Count(timeout ? Counter.LedgerTimeouts : Counter.LedgerErrors);
            Fail(timeout, "no effect");
            return;
        }
        if (Record is null)
        {
            var current = _ledger.Read(_key);
            Finish();
            sim.Log($"{Actor} <- {Describe()}: {(current is null ? "none" : Show(current))}");
            _completion.SetResult(current);
        }
        else
        {
            var stored = _ledger.Commit(Record);
            Finish();
            sim.Log($"{Actor} <- {Describe()}: {(stored is null ? "412 (etag moved on)" : "ok etag " + stored.ETag)}");
            _completion.SetResult(stored);
        }
    }

    protected override void OnCanceled()
    {
        var sim = Simulation;
        string effect = "no effect";
        if (Record is not null && sim.TryFault(Actor.PatchesSent > 0 ? Faults.AmbiguousWriteAfterPatch : Faults.AmbiguousWriteBeforePatch))
        {
            var stored = _ledger.Commit(Record);
            sim.Count(Counter.AmbiguousLedgerWrites);
            effect = $"committed on the server ({(stored is null ? "412" : "etag " + stored.ETag)})";
        }
        sim.Log($"{Actor} x {Describe()} cancelled, {effect}");
        _completion.SetCanceled(CancellationToken);
    }

    private void Fail(bool timeout, string effect)
    {
        Finish();
        Simulation.Log($"{Actor} <- {Describe()}: {(timeout ? "timeout" : "503")}, {effect}");
        _completion.SetException(timeout
            ? new TaskCanceledException("The operation was cancelled because it exceeded the configured timeout (simulated).", new TimeoutException())
            : new RequestFailedException(503, "Service Unavailable (simulated)"));
    }

    private static string Show(MembershipRecord r) =>
        $"[newest {r.NewestEventId} {r.NewestRole}{(r.AppliedEventId is null ? "" : $", applied {r.AppliedEventId}")}{(r.RejectedEventId is null ? "" : $", rejected {r.RejectedEventId}")}{(r.ClerkStateUnknown ? ", unknown" : "")} etag {r.ETag ?? "-"}]";
}
