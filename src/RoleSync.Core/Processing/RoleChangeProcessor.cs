using RoleSync.Clerk;
using RoleSync.Contract;
using RoleSync.History;
using RoleSync.Ledger;
using RoleSync.Lifecycle;
using RoleSync.Secrets;

namespace RoleSync.Processing;

/// <summary>
/// The processing policy, used by every entry point (queue trigger, operator API, CLI): validate, order against the
/// ledger, apply to Clerk, record, converge, and verify when in doubt. Never throws for bad input or failing
/// dependencies; every message ends in a <see cref="ProcessingResult"/>.
/// </summary>
/// <remarks>
/// Ordering (<see cref="Ordering"/>, by effective time): a change is applied only if it is newer than the ledger's
/// newest change for the membership; it is recorded as newest (conditional write) before Clerk is called and marked
/// accepted after (<see cref="MembershipConverger"/>, which also converges when the newest moved on meanwhile). An event
/// id is one change: the same id with other content is rejected <see cref="Reasons.EventIdReused"/>. Whenever Clerk's
/// state is in doubt — a resumed change, a convergence round, a redelivered message that comes out stale, a record
/// marked <see cref="MembershipRecord.ClerkStateUnknown"/> — the membership is read back from Clerk and repaired to its
/// <see cref="DesiredRole"/>. Happy path: 1 ledger read, the event's identity, 2 conditional writes, 1 Clerk call.
/// <para>Every processed message (not a dry run) gets one membership history entry (<see cref="MembershipHistoryRecorder"/>),
/// with the entry point, principal and attempt of its <see cref="ProcessingContext"/>.</para>
/// </remarks>
public sealed class RoleChangeProcessor(
    ClerkClient clerk, IMembershipLedger ledger, MembershipConverger converger, MembershipHistoryRecorder history, TimeProvider timeProvider, RoleChangeResolver resolver)
{
    /// <summary>A processor without a role mapping, resolving users with the default cache settings.</summary>
    public RoleChangeProcessor(ClerkClient clerk, IMembershipLedger ledger, MembershipConverger converger, MembershipHistoryRecorder history, TimeProvider timeProvider)
        : this(clerk, ledger, converger, history, timeProvider,
            new RoleChangeResolver(RoleMapper.None, new UserResolver(clerk, ledger, Microsoft.Extensions.Options.Options.Create(new UserResolutionOptions()), timeProvider)))
    {
    }

    /// <summary>The role mapping and user resolution applied before ordering.</summary>
    public RoleChangeResolver Resolver => resolver;

    /// <summary>A set-role for a non-member creates the membership (<c>Membership:CreateMissing</c>).</summary>
    public bool CreateMissing => converger.Writer.CreateMissing;

    /// <summary>Bound on lost ledger races and convergence rounds for one message.</summary>
    public const int MaxRounds = MembershipConverger.MaxRounds;

    public Task<ProcessingResult> ProcessAsync(ReadOnlyMemory<byte> body, CancellationToken cancellationToken = default) =>
        ProcessAsync(body, ProcessingContext.Default, cancellationToken);

    public Task<ProcessingResult> ProcessAsync(ReadOnlyMemory<byte> body, ProcessingContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        var parse = resolver.Roles.Parse(body.Span, timeProvider.GetUtcNow());
        return parse.Change is { } change
            ? ProcessAsync(change, context, cancellationToken)
            : Task.FromResult(ProcessingResult.Invalid(parse)); // no membership: no history entry
    }

    public Task<ProcessingResult> ProcessAsync(RoleChange change, CancellationToken cancellationToken = default) =>
        ProcessAsync(change, ProcessingContext.Default, cancellationToken);

    public Task<ProcessingResult> ProcessAsync(RoleChange change, ProcessingContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(change);
        ArgumentNullException.ThrowIfNull(context);
        var received = change with { ReceivedAt = change.ReceivedAt ?? context.ReceivedAt ?? timeProvider.GetUtcNow() };
        return TransientOnDependencyFailureAsync(received, ResolveThenAsync(received, context,
            c => RecordedAsync(c, context, TransientOnDependencyFailureAsync(c, ProcessCoreAsync(c, context, cancellationToken)), cancellationToken),
            cancellationToken));
    }

    /// <summary>
    /// The result, once its history entry is written (best effort: the recorder never fails the message), with the change
    /// as received and resolved (the result's may be the ledger's copy, which does not keep the change's reason).
    /// </summary>
    private async Task<ProcessingResult> RecordedAsync(RoleChange change, ProcessingContext context, Task<ProcessingResult> work, CancellationToken cancellationToken)
    {
        var result = await work.ConfigureAwait(false);
        await history.RecordAsync(result with { Change = change }, context, cancellationToken).ConfigureAwait(false);
        return result;
    }

    /// <summary>
    /// Resolves the change (<see cref="RoleChangeResolver"/>) and hands the resolved one to <paramref name="next"/>. A
    /// change refused before ordering (e.g. <c>RoleNotMapped</c>) is recorded in the history when its user is known and
    /// this is not a dry run (<paramref name="context"/> null).
    /// </summary>
    private async Task<ProcessingResult> ResolveThenAsync(
        RoleChange change, ProcessingContext? context, Func<RoleChange, Task<ProcessingResult>> next, CancellationToken cancellationToken)
    {
        var resolved = await resolver.ResolveAsync(change, cancellationToken).ConfigureAwait(false);
        if (resolved.Change is { } ready)
        {
            return await next(ready).ConfigureAwait(false);
        }
        if (context is not null && change.IsResolved)
        {
            await history.RecordAsync(resolved.Result! with { Change = change }, context, cancellationToken).ConfigureAwait(false);
        }
        return resolved.Result!;
    }

    /// <summary>Dry run: what <see cref="ProcessAsync(RoleChange, CancellationToken)"/> would do, changing nothing (reads only).</summary>
    public Task<ProcessingResult> PlanAsync(RoleChange change, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(change);
        var received = change with { ReceivedAt = change.ReceivedAt ?? timeProvider.GetUtcNow() };
        return TransientOnDependencyFailureAsync(received, PlanResolvedAsync(received, cancellationToken));
    }

    /// <summary>The dry run of a change whose user does not exist is <see cref="Outcome.NotFound"/>: nothing would change.</summary>
    private async Task<ProcessingResult> PlanResolvedAsync(RoleChange change, CancellationToken cancellationToken)
    {
        var result = await ResolveThenAsync(change, null, c => PlanCoreAsync(c, cancellationToken), cancellationToken).ConfigureAwait(false);
        return result is { Outcome: Outcome.Rejected, Reason: Reasons.UserNotFound } ? result with { Outcome = Outcome.NotFound } : result;
    }

    private async Task<ProcessingResult> PlanCoreAsync(RoleChange change, CancellationToken cancellationToken)
    {
        var (current, decision, reused) = await ReadAndDecideAsync(change, cancellationToken).ConfigureAwait(false);
        if (reused is not null)
        {
            return reused;
        }
        switch (decision)
        {
            case OrderingDecision.Duplicate:
                return DuplicateOf(change, current);
            case OrderingDecision.Stale stale:
                return StaleOf(change, stale);
        }
        var result = await clerk.GetMembershipAsync(change.OrganizationId, change.UserId, cancellationToken).ConfigureAwait(false);
        if (result.Error is { } error)
        {
            return ClerkErrorPolicy.Classify(change, error);
        }
        return (change.IsRemoval, result.Membership) switch
        {
            (true, null) => ProcessingResult.Of(Outcome.Unchanged, change, $"{change.UserId} is not a member of {change.OrganizationId}"),
            (true, { Role: var role }) => ProcessingResult.Of(Outcome.WouldRemove, change, $"remove {change.UserId} ({role}) from {change.OrganizationId}"),
            (false, null) when converger.Writer.CreateMissing => ProcessingResult.Of(Outcome.WouldCreate, change, $"add {change.UserId} to {change.OrganizationId} as {change.Role}"),
            (false, null) => ProcessingResult.Of(Outcome.NotFound, change, $"{change.UserId} is not a member of {change.OrganizationId} (Membership__CreateMissing is false)") with { Reason = Reasons.MembershipNotFound },
            (false, { Role: var role }) when role == change.Role => ProcessingResult.Of(Outcome.Unchanged, change, $"already {role}"),
            (false, { Role: var role }) => ProcessingResult.Of(Outcome.WouldApply, change, $"{role} -> {change.Role}"),
        };
    }

    /// <summary>The secret key or the ledger being unavailable makes the outcome transient: the message itself is fine.</summary>
    private static async Task<ProcessingResult> TransientOnDependencyFailureAsync(RoleChange change, Task<ProcessingResult> work)
    {
        try
        {
            return await work.ConfigureAwait(false);
        }
        catch (ClerkSecretUnavailableException ex)
        {
            return ProcessingResult.Transient(change, Reasons.SecretUnavailable, ex.Message);
        }
        catch (LedgerUnavailableException ex)
        {
            return ProcessingResult.Transient(change, Reasons.LedgerUnavailable, ex.Message);
        }
    }

    private async Task<ProcessingResult> ProcessCoreAsync(RoleChange change, ProcessingContext context, CancellationToken cancellationToken)
    {
        // 1. Claim: record the change as the membership's newest, or find that it is stale, a duplicate or a reused id.
        MembershipRecord? record = null;
        bool inDoubt = false;
        for (int round = 0; record is null; round++)
        {
            if (round == MaxRounds)
            {
                return ProcessingResult.Transient(change, Reasons.LedgerUnavailable, $"The ledger record kept changing under {MaxRounds} attempts to claim it.");
            }
            var (current, decision, reused) = await ReadAndDecideAsync(change, cancellationToken).ConfigureAwait(false);
            if (reused is not null)
            {
                return reused;
            }
            switch (decision)
            {
                case OrderingDecision.New:
                    if (await ReusedElsewhereAsync(change, cancellationToken).ConfigureAwait(false) is { } reusedElsewhere)
                    {
                        return reusedElsewhere;
                    }
                    var now = timeProvider.GetUtcNow();
                    record = await LedgerCalls.TryWriteAsync(ledger, current is null ? MembershipRecord.NewestFrom(change, now) : current.WithNewest(change, now), cancellationToken).ConfigureAwait(false);
                    inDoubt = current?.ClerkStateUnknown == true;
                    break;
                case OrderingDecision.Resume:
                    // An earlier attempt may have sent a PATCH whose fate is unknown. A rejected newest change is being
                    // replayed after a fix: it is applied again (its rejection is cleared once Clerk accepts it).
                    record = current!.NewestRejected ? current with { RejectedEventId = null, RejectedReason = null, RejectedDetail = null, RejectedAt = null } : current;
                    inDoubt = true;
                    break;
                case OrderingDecision.Duplicate:
                    return DuplicateOf(change, current);
                case OrderingDecision.Stale stale:
                    if (await ReusedElsewhereAsync(change, cancellationToken).ConfigureAwait(false) is { } reusedStale)
                    {
                        return reusedStale;
                    }
                    var result = StaleOf(change, stale);
                    if (!context.Redelivered && !current!.ClerkStateUnknown)
                    {
                        return result;
                    }
                    // In doubt, and the read-back failed transiently: this message may be the last word on the membership
                    // (an older PATCH can land after the newest one), so it is retried rather than completed as stale.
                    var staleVerify = (await converger.VerifyRecordAsync(current!, cancellationToken).ConfigureAwait(false)).Verify;
                    return staleVerify is { Status: VerifyStatus.Failed, Failure: { Outcome: Outcome.Transient } transient }
                        ? ReferTo(change, transient)
                        : WithVerification(result, staleVerify);
            }
        }

        // 2. Apply the newest change (this one) and record it; converge if the newest moves on meanwhile.
        ProcessingResult? own = null;
        var applied = await converger.ApplyAsync(record, (target, result) =>
        {
            if (target.EventId == change.EventId)
            {
                own = result;
            }
        }, cancellationToken).ConfigureAwait(false);
        if (applied.Transient is { } failure)
        {
            return ReferTo(change, failure); // this message is retried; its retry resumes or verifies
        }
        if (own is { Outcome: Outcome.Rejected } && applied.Record.NewestEventId != change.EventId)
        {
            own = ProcessingResult.Of(Outcome.Stale, change,
                $"Clerk rejected it ({own.Reason}: {own.Detail}), and a newer change {applied.Record.NewestEventId} has since arrived")
                with { SupersededBy = applied.Record.NewestEventId };
        }
        own ??= applied.Verify.Failure ?? ProcessingResult.Of(Outcome.Applied, change);
        own = WithVerification(own, applied.Verify); // e.g. after a rejection, Clerk was put back on the accepted role

        // 3. Verify when in doubt: read Clerk back and repair. A failed verification leaves the record marked unknown.
        if ((inDoubt || applied.Patches > 1 || applied.Ambiguous || applied.Record.ClerkStateUnknown) && applied.Verify.Status != VerifyStatus.Repaired)
        {
            var verify = await converger.VerifyRecordAsync(applied.Record, cancellationToken).ConfigureAwait(false);
            own = WithVerification(own, verify.Verify);
        }
        // In doubt, and the last read-back failed transiently (the record stays marked unknown): retried, not completed,
        // so a wrong role left by a late or stale-based write is read and repaired on the retry (model check seed 23150).
        return own is { Outcome: Outcome.Applied or Outcome.Stale or Outcome.Duplicate, Verification: { Status: VerifyStatus.Failed, Failure: { Outcome: Outcome.Transient } readBack } }
            ? ReferTo(change, readBack)
            : own;
    }

    /// <summary>
    /// The membership's record and where the change stands against it; for the same event id (resume, duplicate) also
    /// whether it arrives with other content (<see cref="Reasons.EventIdReused"/>), which ends the processing.
    /// </summary>
    private async Task<(MembershipRecord? Current, OrderingDecision Decision, ProcessingResult? Reused)> ReadAndDecideAsync(RoleChange change, CancellationToken cancellationToken)
    {
        var current = await LedgerCalls.ReadAsync(ledger, change.OrganizationId, change.UserId, cancellationToken).ConfigureAwait(false);
        var decision = Ordering.Decide(change, current);
        var reused = decision is OrderingDecision.Resume or OrderingDecision.Duplicate ? Reused(change, current!) : null;
        return (current, decision, reused);
    }

    /// <summary>The same event id with other content than the newest change recorded for this membership.</summary>
    private static ProcessingResult? Reused(RoleChange change, MembershipRecord current) =>
        current.NewestRole == change.Role && current.NewestAction == change.Action && current.NewestOccurredAt.UtcTicks == change.OccurredAt.UtcTicks
            ? null
            : EventIdReused(change, current.NewestChange().Content);

    /// <summary>The same event id recorded with other content, in any membership.</summary>
    private async Task<ProcessingResult?> ReusedElsewhereAsync(RoleChange change, CancellationToken cancellationToken) =>
        await LedgerCalls.RecordEventAsync(ledger, change.EventId, change.Content, cancellationToken).ConfigureAwait(false) is { } first
            ? EventIdReused(change, first)
            : null;

    private static ProcessingResult EventIdReused(RoleChange change, string first) =>
        ProcessingResult.Rejected(change, Reasons.EventIdReused,
            $"eventId {change.EventId} was first seen as [{first}] and now arrives as [{change.Content}]: an event id names one change; send a new eventId");

    private static ProcessingResult DuplicateOf(RoleChange change, MembershipRecord? current) =>
        ProcessingResult.Of(Outcome.Duplicate, change, $"{change.EventId} was already applied at {current?.AppliedAt:O}");

    private static ProcessingResult StaleOf(RoleChange change, OrderingDecision.Stale stale) =>
        ProcessingResult.Of(Outcome.Stale, change, $"a newer change is known: {stale.Newer.EventId} at {stale.Newer.OccurredAt:O} ({stale.Newer.Role})")
            with { SupersededBy = stale.Newer.EventId };

    /// <summary>Adds what verification did to a result's detail (nothing when Clerk was in sync).</summary>
    private static ProcessingResult WithVerification(ProcessingResult result, VerifyResult verify) => verify.Status switch
    {
        VerifyStatus.Repaired => result with
        {
            Detail = ProcessingResult.CleanDetail($"{result.Detail}{(result.Detail is null ? "" : "; ")}verified: Clerk held {verify.ClerkRole}, repaired to {verify.DesiredRole}"),
            Verification = verify,
        },
        VerifyStatus.Failed or VerifyStatus.NotAMember or VerifyStatus.ManagedByDirectory => result with
        {
            Detail = ProcessingResult.CleanDetail($"{result.Detail}{(result.Detail is null ? "" : "; ")}verification: {KebabCaseEnumConverter<VerifyStatus>.NameOf(verify.Status)}{(verify.Failure is { } f ? $" ({f.Reason}: {f.Detail})" : "")}"),
            Verification = verify,
        },
        _ => result,
    };

    /// <summary>A transient failure while applying another (newer) change is reported on this message, so it is retried.</summary>
    private static ProcessingResult ReferTo(RoleChange change, ProcessingResult result) =>
        result.Change == change ? result : result with { Change = change, EventId = change.EventId };
}
