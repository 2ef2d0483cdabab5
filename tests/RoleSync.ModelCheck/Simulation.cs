using System.Globalization;
using System.Text;
using RoleSync.Guard;
using RoleSync.Messaging;
using RoleSync.Processing;

namespace RoleSync.ModelCheck;

/// <summary>
/// One seeded run: the world, the simulated Clerk, ledger and queue, the workers, and the scheduler that decides, one
/// step at a time with a seeded <see cref="System.Random"/>, what happens next: a worker takes a visible message, a
/// pending request is answered (normally or with a fault), a worker crashes, the queue redelivers a held message, a
/// late PATCH lands, or virtual time advances to the next timer or queue event. Everything runs on the calling thread:
/// the only things that complete RoleSync's awaits are this scheduler's steps, so a seed always gives the same trace.
/// </summary>
internal sealed class Simulation : IDisposable
{
    public const int MaxDeliveryCount = 10;
    public static readonly TimeSpan LockDuration = TimeSpan.FromMinutes(1);
    public static readonly DateTimeOffset Start = new(2026, 3, 1, 9, 0, 0, TimeSpan.Zero);

    private static readonly AsyncLocal<Actor?> CurrentActor = new();

    private readonly ModelCheckOptions _options;
    private readonly int _threadId = Environment.CurrentManagedThreadId;
    private readonly StringBuilder? _trace;
    private readonly List<PendingOp> _pending = [];
    private readonly List<ClerkRequest> _latePatches = [];
    private readonly List<QueueEntry> _waiting = [];
    private readonly (QueueEntry? Entry, Actor? Actor, Task<ProcessingResult>? Task)[] _workers;
    private readonly List<Actor> _crashed = [];
    private readonly List<(Actor Actor, Task Task)> _started = [];
    private readonly RetryOptions _retry = new();
    private readonly HashSet<string> _held = new(StringComparer.Ordinal);
    private readonly double _faultProbability;
    private int _faultBudget;
    private int _opIds;
    private long _requestSequence;
    private int _entryIds;
    private int _deliveries;
    private int _step;
    private string? _threadViolation;

    private readonly SimHostPool _pool;

    public Simulation(int seed, ModelCheckOptions options, bool trace, SimHostPool pool)
    {
        _pool = pool;
        Seed = seed;
        _options = options;
        _trace = trace ? new StringBuilder() : null;
        Random = new Random(seed);
        Enabled = options.Faults & (Faults)Enumerable.Range(0, 14).Sum(bit => Random.NextDouble() < 0.6 ? 1 << bit : 0);
        // The revoked key draws from a random of its own, so every run without it explores what it did before.
        var keyRandom = new Random(seed ^ 0x5EED16);
        if (options.Faults.HasFlag(Faults.KeyRevoked) && keyRandom.NextDouble() < 0.6)
        {
            Enabled |= Faults.KeyRevoked;
            RevokedFrom = Start + TimeSpan.FromSeconds(keyRandom.Next(0, 21));
            RevokedUntil = RevokedFrom + TimeSpan.FromSeconds(keyRandom.Next(30, 6 * 3600));
        }
        // The bulk-change guard's settings draw from a random of their own too.
        var guardRandom = new Random(seed ^ 0x5EED17);
        if (options.Faults.HasFlag(Faults.BulkGuard) && guardRandom.NextDouble() < 0.6)
        {
            Enabled |= Faults.BulkGuard;
            Guard = new GuardOptions
            {
                MaxPerWindow = new[] { 1, 1, 1, 2, 2, 3, 4 }[guardRandom.Next(7)], // a world has few privilege-reducing changes
                Window = TimeSpan.FromMinutes(new[] { 1, 10, 60 }[guardRandom.Next(3)]),
                RecheckInterval = TimeSpan.FromSeconds(new[] { 5, 30, 60 }[guardRandom.Next(3)]),
                ProtectedRoles = guardRandom.Next(2) == 0 ? null : [ClerkState.AdminRole, "org:billing"],
            };
        }
        _faultProbability = new[] { 0.03, 0.08, 0.15, 0.3 }[Random.Next(4)];
        _faultBudget = Random.Next(1, 13);
        int maxRetryAttempts = new[] { 0, 1, 3 }[Random.Next(3)];
        _workers = new (QueueEntry?, Actor?, Task<ProcessingResult>?)[Random.Next(1, 9)];
        World = World.Generate(Random, Enabled.HasFlag(Faults.Rejections), Start, Guard.Enabled ? 0.5 : 0.2);

        Host = pool.Rent(maxRetryAttempts);
        Host.Attach(this);
        foreach (var org in World.Organizations)
        {
            Clerk.AddOrganization(org.Id, org.Roles);
            if (!org.SoleAdmin)
            {
                Clerk.AddMember(org.Id, "user_keeper" + org.Id["org_".Length..], ClerkState.AdminRole);
            }
        }
        foreach (var membership in World.Memberships)
        {
            Clerk.AddMember(membership.Organization.Id, membership.UserId, membership.InitialRole);
        }
        foreach (var (lineage, arrival) in World.Messages)
        {
            Enqueue(lineage, 1, 1, Start + arrival);
        }
        Counts.Add(Counter.Workers, _workers.Length);
        Counts.Add(Counter.Changes, World.Changes.Count);
        Counts.Add(Counter.Removals, World.Changes.Count(c => c.IsRemoval));
        Counts.Add(Counter.ProducerDuplicates, World.Messages.Count - World.Changes.Count);
        Log($"seed {seed} profile {options.Name}: {_workers.Length} workers, Clerk:MaxRetryAttempts {maxRetryAttempts}, faults [{Enabled}] p={_faultProbability} budget {_faultBudget}"
            + (Guard.Enabled ? $", Guard:MaxPerWindow {Guard.MaxPerWindow} Window {Guard.Window:c} RecheckInterval {Guard.RecheckInterval:c} ProtectedRoles {string.Join(",", Guard.EffectiveProtectedRoles)}" : ""));
        Log("world: " + World);
    }

    public int Seed { get; }

    public Random Random { get; }

    public Faults Enabled { get; }

    /// <summary>False during the reconcile pass: it runs without faults.</summary>
    public bool FaultsOn { get; private set; } = true;

    /// <summary>The <see cref="Faults.KeyRevoked"/> window (Clerk answers 401 within it while faults are on).</summary>
    public DateTimeOffset RevokedFrom { get; } = DateTimeOffset.MaxValue;

    /// <inheritdoc cref="RevokedFrom"/>
    public DateTimeOffset RevokedUntil { get; } = DateTimeOffset.MaxValue;

    /// <summary>Whether the key is revoked now.</summary>
    public bool KeyRevokedNow => FaultsOn && Clock.GetUtcNow() >= RevokedFrom && Clock.GetUtcNow() < RevokedUntil;

    public World World { get; }

    /// <summary>This run's <c>Guard:*</c> settings (off unless <see cref="Faults.BulkGuard"/> is enabled).</summary>
    public GuardOptions Guard { get; } = new() { Enabled = false };

    public SimClock Clock => Host.Clock;

    public ClerkState Clerk { get; } = new();

    public SimLedger Ledger => Host.Ledger;

    public SimHost Host { get; }

    public FaultCounts Counts { get; } = new();

    public List<string> Violations { get; } = [];

    public string Trace => _trace?.ToString() ?? "";

    public int NextOpId() => ++_opIds;

    public long NextRequestSequence() => ++_requestSequence;

    public void AddPending(PendingOp op) => _pending.Add(op);

    public void RemovePending(PendingOp op) => _pending.Remove(op);

    public void Count(Counter counter) => Counts.Add(counter);

    /// <summary>
    /// Called by every simulated request: checks that it runs on the simulation's thread and returns the actor that
    /// made it (an async local that flows with RoleSync's continuations).
    /// </summary>
    public Actor EnterRequest()
    {
        CheckThread();
        var actor = CurrentActor.Value ?? throw new InvalidOperationException("A request to Clerk or the ledger outside any actor.");
        if (actor.Dead && !actor.Cancellation.IsCancellationRequested)
        {
            // A crash while the actor waited on a timer takes effect at its next request (see Crash).
            actor.Cancellation.Cancel();
        }
        return actor;
    }

    public void CheckThread()
    {
        if (Environment.CurrentManagedThreadId != _threadId)
        {
            _threadViolation ??= $"thread hop: RoleSync reached the simulation from thread {Environment.CurrentManagedThreadId}, not {_threadId} (step {_step}):\n{Environment.StackTrace}";
        }
    }

    /// <summary>
    /// Whether to inject a fault of this kind now: it is enabled for this run, the run's fault budget is not spent, and
    /// the run's fault probability says so (<paramref name="always"/>: the caller has already decided a fault happens).
    /// </summary>
    public bool TryFault(Faults kind, bool always = false)
    {
        if (!FaultsOn || (Enabled & kind) == 0 || _faultBudget <= 0 || (!always && Random.NextDouble() >= _faultProbability))
        {
            return false;
        }
        _faultBudget--;
        return true;
    }

    public void Log(string line)
    {
        _trace?.Append(CultureInfo.InvariantCulture, $"{_step,5} +{(Clock.GetUtcNow() - Start).TotalSeconds,8:0.000}s  {line}\n");
    }

    /// <summary>Clerk carries a request out now; a PATCH that lands after a PATCH sent later is counted as overtaken.</summary>
    public ClerkAnswer ExecuteOnClerk(ClerkRequest request, bool late)
    {
        var answer = Clerk.Execute(request, out bool overtaken);
        if (answer.StatusCode == 200 && request.Method is "DELETE" or "POST" && request.IsPatch)
        {
            Count(request.Method == "DELETE" ? Counter.MembershipsDeleted : Counter.MembershipsCreated);
        }
        if (overtaken)
        {
            Count(Counter.LatePatchesAfterALaterPatch);
            Log($"   Clerk applied {request.Describe()} after a PATCH sent later: {Clerk.RoleOf(request.OrganizationId, request.UserId!)} now");
        }
        if (late)
        {
            Count(Counter.LatePatches);
        }
        return answer;
    }

    public void AddLatePatch(ClerkRequest request) => _latePatches.Add(request);

    /// <summary>Runs the world to the end, then the reconcile step, then checks the property.</summary>
    public void Run()
    {
        try
        {
            RunMessages();
            if (Violations.Count == 0 && _options.Reconcile is { } reconcile)
            {
                RunReconcile(reconcile);
            }
            if (_threadViolation is not null)
            {
                Violations.Add(_threadViolation);
            }
            if (Violations.Count == 0)
            {
                Violations.AddRange(Oracle.Check(this));
            }
        }
#pragma warning disable CA1031 // the harness reports whatever went wrong as the run's failure, with its seed
        catch (Exception ex)
#pragma warning restore CA1031
        {
            Violations.Add($"the simulation failed at step {_step}: {ex}");
        }
        Log(Violations.Count == 0 ? "property holds" : "VIOLATED: " + string.Join(" | ", Violations));
    }

    private void RunMessages()
    {
        while (true)
        {
            if (++_step > _options.MaxSteps)
            {
                Violations.Add($"no end after {_options.MaxSteps} steps (livelock?)");
                return;
            }
            SettleFinished();
            if (!NextStep() && !ApproveRemainingHolds())
            {
                break;
            }
        }
        if (_pending.Count > 0 || _workers.Any(w => w.Task is not null))
        {
            Violations.Add($"stuck at step {_step}: {_pending.Count} pending requests, {_workers.Count(w => w.Task is not null)} busy workers, no timer to advance to");
        }
        foreach (var (actor, task) in _started.Where(s => !s.Task.IsCompleted))
        {
            Violations.Add($"{actor}'s processing never ended ({(actor.Dead ? "crashed" : "alive")}, {actor.PatchesInFlight} PATCHes in flight)");
        }
    }

    /// <summary>Picks and carries out one step; false when nothing is left to do.</summary>
    private bool NextStep()
    {
        var now = Clock.GetUtcNow();
        var idle = Enumerable.Range(0, _workers.Length).Where(i => _workers[i].Task is null).ToList();
        var visible = _waiting.Where(e => e.VisibleAt <= now).ToList();
        var busy = Enumerable.Range(0, _workers.Length).Where(i => _workers[i].Task is not null).ToList();
        var resolvable = _pending.Where(p => p.Resolvable).ToList();
        var next = NextEventTime(now);
        bool clerkAnswerable = resolvable.Any(p => p.IsClerk);

        double take = idle.Count > 0 && visible.Count > 0 ? 4 : 0;
        double resolve = resolvable.Count > 0 ? 8 : 0;
        double land = _latePatches.Count > 0 ? 1.5 : 0;
        double crash = busy.Count > 0 && FaultsOn && _faultBudget > 0 && (Enabled & (Faults.CrashBeforePatch | Faults.CrashDuringPatch | Faults.CrashAfterPatch)) != 0 ? 10 * _faultProbability : 0;
        double redeliver = busy.Count > 0 && FaultsOn && _faultBudget > 0 && Enabled.HasFlag(Faults.Redelivery) ? 3 * _faultProbability : 0;
        // Time never moves while a Clerk request can still be answered: that would time it out, a fault of its own kind.
        double advance = next is not null && !clerkAnswerable ? 1 : 0;
        // The operator approves an organization's holds at random times (held messages come back every RecheckInterval).
        var holding = _held.Count > 0 ? Completed(Host.Holds.ListAsync()) : [];
        double approve = holding.Count > 0 ? 0.5 : 0;
        double total = take + resolve + land + crash + redeliver + approve + advance;
        if (take + resolve + land + advance == 0)
        {
            return false;
        }
        double pick = Random.NextDouble() * total;
        if ((pick -= take) < 0)
        {
            Take(idle[Random.Next(idle.Count)], visible[Random.Next(visible.Count)]);
        }
        else if ((pick -= resolve) < 0)
        {
            // Half of the time the op of the highest-priority actor: one worker races ahead while another is slow.
            var op = Random.Next(2) == 0 ? resolvable.MaxBy(p => p.Actor.Priority)! : resolvable[Random.Next(resolvable.Count)];
            op.Resolve();
        }
        else if ((pick -= land) < 0)
        {
            var request = _latePatches[Random.Next(_latePatches.Count)];
            _latePatches.Remove(request);
            var answer = ExecuteOnClerk(request, late: true);
            Log($"late {request.Describe()} lands: {answer.Describe()}");
        }
        else if ((pick -= crash) < 0)
        {
            Crash(busy[Random.Next(busy.Count)]);
        }
        else if ((pick -= redeliver) < 0)
        {
            RedeliverHeld(busy[Random.Next(busy.Count)]);
        }
        else if ((pick -= approve) < 0)
        {
            Approve(holding[Random.Next(holding.Count)].OrganizationId);
        }
        else
        {
            var delta = next!.Value - now;
            Log($"advance {delta.TotalSeconds:0.000}s");
            Clock.Advance(delta);
        }
        return true;
    }

    /// <summary>The operator approves every held change of <paramref name="organizationId"/> (GuardHolds.ApproveAsync, as POST /api/holds/{org}/approve does).</summary>
    private void Approve(string organizationId)
    {
        var decided = Completed(Host.Holds.ApproveAsync(organizationId, "operator"));
        Count(Counter.GuardApprovals);
        Log($"operator approves {decided.Count} holds of {organizationId}: {string.Join(" ", decided.EventIds)}");
    }

    /// <summary>Nothing else is left to do: the operator approves whatever is still held (a violation: see below); false when nothing is.</summary>
    private bool ApproveRemainingHolds()
    {
        var holding = Guard.Enabled ? Completed(Host.Holds.ListAsync()) : [];
        foreach (var summary in holding)
        {
            Counts.Add(Counter.GuardHoldsLeftAtEnd, summary.Count);
            // Every held message comes back until a decision covers it: a hold no message waits for was bypassed.
            Violations.Add($"{summary.Count} holds of {summary.OrganizationId} ({string.Join(" ", summary.Sample.Select(h => h.EventId))}) are still waiting for an operator, but no message is left to wait for the decision: the change went on without one");
            Approve(summary.OrganizationId);
        }
        return holding.Count > 0;
    }

    /// <summary>The guard store (in memory) answers at once: its tasks are complete when they are returned.</summary>
    private static T Completed<T>(Task<T> task) =>
        task.IsCompleted ? task.GetAwaiter().GetResult() : throw new InvalidOperationException("The in-memory guard store did not answer at once.");

    private DateTimeOffset? NextEventTime(DateTimeOffset now)
    {
        DateTimeOffset? next = Clock.NextDue;
        foreach (var entry in _waiting)
        {
            if (entry.VisibleAt > now && (next is null || entry.VisibleAt < next))
            {
                next = entry.VisibleAt;
            }
        }
        return next;
    }

    private void Enqueue(Lineage lineage, int attempt, int deliveryCount, DateTimeOffset visibleAt)
    {
        _waiting.Add(new QueueEntry(++_entryIds, lineage, attempt, deliveryCount, visibleAt));
        lineage.Live++;
    }

    private void Take(int worker, QueueEntry entry)
    {
        _waiting.Remove(entry);
        var actor = new Actor($"w{worker}.{++_deliveries}", new CancellationTokenSource(), Random.NextDouble());
        Count(Counter.Deliveries);
        Log($"{actor} takes {entry}");
        CurrentActor.Value = actor;
        try
        {
            var body = entry.Lineage.Change.Body;
            var context = new ProcessingContext(Redelivered: entry.Attempt > 1 || entry.DeliveryCount > 1);
            // As RoleChangeMessageHandler: the quarantine check, inside it the bulk-change guard, inside that the processor.
            _workers[worker] = (entry, actor, Host.Quarantine.ProcessAsync(body,
                token => Host.Guard.ProcessAsync(body, context, inner => Host.Processor.ProcessAsync(body, context, inner), token), actor.Cancellation.Token));
            _started.Add((actor, _workers[worker].Task!));
        }
        finally
        {
            CurrentActor.Value = null;
        }
    }

    private void Crash(int worker)
    {
        var (entry, actor, task) = _workers[worker];
        var kind = actor!.PatchesInFlight > 0 ? Faults.CrashDuringPatch : actor.PatchesAnswered > 0 ? Faults.CrashAfterPatch : Faults.CrashBeforePatch;
        if (!TryFault(kind, always: true))
        {
            return;
        }
        Count(kind switch { Faults.CrashDuringPatch => Counter.CrashDuringPatch, Faults.CrashAfterPatch => Counter.CrashAfterPatch, _ => Counter.CrashBeforePatch });
        Log($"CRASH {actor} ({kind}) holding {entry}");
        actor.Dead = true;
        _crashed.Add(actor);
        _workers[worker] = default;
        if (actor.OpenRequests > 0)
        {
            // Cancelling runs the cancellation callbacks of its requests inline, and RoleSync unwinds up to its end.
            actor.Cancellation.Cancel();
            if (!task!.IsCompleted)
            {
                Violations.Add($"{actor} did not stop when its token was cancelled (step {_step})");
            }
        }
        else
        {
            // Waiting on a timer (Polly's Retry-After delay): a cancelled Task.Delay(TimeProvider) resumes on the thread
            // pool, so the token is cancelled at the actor's next request instead, which is then dropped. To the world
            // the worker is dead from now on either way.
            Log($"   {actor} waits on a timer: it is dead, its next request is dropped");
        }
        entry!.Lineage.Live--;
        if (entry.LockVersion == 0)
        {
            Redeliver(entry, Clock.GetUtcNow() + LockDuration, "its lock expires");
        }
    }

    /// <summary>The queue gives a held message to another worker (its lock was lost); the holder carries on, and its settlement will fail.</summary>
    private void RedeliverHeld(int worker)
    {
        var entry = _workers[worker].Entry!;
        if (!TryFault(Faults.Redelivery, always: true))
        {
            return;
        }
        Count(Counter.RedeliveredWhileHeld);
        entry.LockVersion++;
        Log($"lock of {entry} held by {_workers[worker].Actor} lost");
        Redeliver(entry, Clock.GetUtcNow(), "lock lost");
    }

    /// <summary>The queue delivers <paramref name="entry"/>'s message again at <paramref name="at"/> (or dead-letters it after <see cref="MaxDeliveryCount"/> deliveries).</summary>
    private void Redeliver(QueueEntry entry, DateTimeOffset at, string why)
    {
        if (entry.DeliveryCount >= MaxDeliveryCount)
        {
            Final(entry.Lineage, "MaxDeliveryCountExceeded", deadLetter: true);
            return;
        }
        var again = new QueueEntry(++_entryIds, entry.Lineage, entry.Attempt, entry.DeliveryCount + 1, at);
        _waiting.Add(again);
        entry.Lineage.Live++;
        Log($"   redelivered as {again} at +{(at - Start).TotalSeconds:0.000}s ({why})");
    }

    private void SettleFinished()
    {
        for (int i = 0; i < _workers.Length; i++)
        {
            var (entry, actor, task) = _workers[i];
            if (task is null || !task.IsCompleted)
            {
                continue;
            }
            _workers[i] = default;
            if (!task.IsCompletedSuccessfully)
            {
                Violations.Add($"{actor}: the processor did not return a result for {entry}: {task.Exception?.InnerException ?? (object)"cancelled without a crash"}");
                entry!.Lineage.Live--;
                continue;
            }
            Settle(entry!, actor!, task.Result);
        }
    }

    private void Settle(QueueEntry entry, Actor actor, ProcessingResult result)
    {
        var lineage = entry.Lineage;
        Log($"{actor} done {entry}: {result.Outcome} {result.Reason} {result.Detail}");
        if (entry.LockVersion != 0)
        {
            Log($"   settlement of {entry} fails: lock lost");
            lineage.Live--;
            return;
        }
        var now = Clock.GetUtcNow();
        var decision = SettlementPolicy.Decide(result, entry.Attempt, _retry, now);
        if (result.Reason == Reasons.HeldForApproval)
        {
            Count(_held.Add(lineage.Change.EventId) ? Counter.GuardHeld : Counter.GuardRedeliveriesWhileHeld);
            // The guard's promise: a hold spends no attempt and never dead-letters; it comes back after RecheckInterval.
            if (decision is not SettlementDecision.ScheduleRetry retryHeld || retryHeld.NextAttempt != entry.Attempt || retryHeld.EnqueueAt != now + Guard.RecheckInterval)
            {
                Violations.Add($"{actor}: {entry} held for approval was settled {decision}, not rescheduled at attempt {entry.Attempt} after Guard:RecheckInterval");
            }
        }
        switch (decision)
        {
            case SettlementDecision.Complete:
                Count(result.Outcome switch { Outcome.Applied => Counter.Applied, Outcome.Stale => Counter.Stale, _ => Counter.Duplicate });
                lineage.Live--;
                Final(lineage, result.Outcome.ToString(), deadLetter: false);
                if (TryFault(Faults.Redelivery))
                {
                    Count(Counter.RedeliveredAfterSettling);
                    Redeliver(entry, now + LockDuration, "completion lost");
                }
                break;
            case SettlementDecision.ScheduleRetry retry:
                if (result.Reason != Reasons.HeldForApproval)
                {
                    Count(result.Reason == Reasons.Quarantined ? Counter.Quarantined : Counter.RetriesScheduled);
                }
                lineage.Live--;
                lineage.Settlements.Add($"retry {retry.NextAttempt} {retry.LastReason}");
                Enqueue(lineage, retry.NextAttempt, 1, retry.EnqueueAt);
                Log($"   retry copy attempt {retry.NextAttempt} at +{(retry.EnqueueAt - Start).TotalSeconds:0.000}s");
                break;
            case SettlementDecision.DeadLetter deadLetter:
                // The quarantine's promise: a revoked key never spends a budget, nothing is dead-lettered while it is open.
                if (deadLetter.Reason is Reasons.RetriesExhausted or Reasons.Quarantined
                    && (Host.QuarantineStore.ReadAsync().Result.Active
                        || deadLetter.Properties.GetValueOrDefault(MessageProperties.LastReason) is Reasons.ClerkUnauthorized or Reasons.Quarantined))
                {
                    Violations.Add($"{actor}: {entry} dead-lettered {deadLetter.Reason} while RoleSync is in quarantine or after a revoked key spent its budget: {deadLetter.Description}");
                }
                if (deadLetter.Properties.GetValueOrDefault(MessageProperties.LastReason) is Reasons.HeldForApproval)
                {
                    Violations.Add($"{actor}: {entry} dead-lettered {deadLetter.Reason} after the guard held it: {deadLetter.Description}");
                }
                if (deadLetter.Reason switch { Reasons.LastAdmin => Counter.RejectedLastAdmin, Reasons.RoleNotFound => Counter.RejectedRoleNotFound, Reasons.RetriesExhausted => Counter.RetriesExhausted, _ => (Counter?)null } is { } counter)
                {
                    Count(counter);
                }
                lineage.Live--;
                Final(lineage, deadLetter.Reason, deadLetter: true);
                break;
        }
    }

    private void Final(Lineage lineage, string outcome, bool deadLetter)
    {
        lineage.Settlements.Add((deadLetter ? "dead-letter " : "complete ") + outcome);
        lineage.Final = outcome;
        lineage.DeadLettered = deadLetter;
        Log($"   {lineage.Change.EventId} {lineage.Name}: {(deadLetter ? "dead-lettered" : "completed")} {outcome}");
    }

    private void RunReconcile(Func<ReconcileContext, Task> reconcile)
    {
        FaultsOn = false;
        var actor = new Actor("reconcile", new CancellationTokenSource());
        Log("reconcile pass");
        Task task;
        CurrentActor.Value = actor;
        try
        {
            task = reconcile(new ReconcileContext(Host.Services, World.Memberships.Select(m => (m.Organization.Id, m.UserId)).ToList(), actor.Cancellation.Token));
        }
        finally
        {
            CurrentActor.Value = null;
        }
        while (!task.IsCompleted)
        {
            if (++_step > _options.MaxSteps)
            {
                Violations.Add($"the reconcile pass did not end within {_options.MaxSteps} steps");
                return;
            }
            Count(Counter.ReconcileSteps);
            var resolvable = _pending.Where(p => p.Resolvable).ToList();
            if (resolvable.Count > 0)
            {
                resolvable[Random.Next(resolvable.Count)].Resolve();
            }
            else if (Clock.NextDue is { } due)
            {
                Clock.Advance(due - Clock.GetUtcNow());
            }
            else
            {
                Violations.Add("the reconcile pass is stuck: nothing pending, no timer");
                return;
            }
        }
        if (!task.IsCompletedSuccessfully)
        {
            Violations.Add($"the reconcile pass failed: {task.Exception?.InnerException}");
        }
    }

    public void Dispose()
    {
        _pool.Return(Host, clean: _started.TrueForAll(s => s.Task.IsCompleted) && Clock.ArmedTimers == 0);
        foreach (var actor in _crashed)
        {
            actor.Cancellation.Dispose();
        }
    }
}
