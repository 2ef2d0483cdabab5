using RoleSync.Clerk;
using RoleSync.Contract;
using RoleSync.Ledger;
using RoleSync.Secrets;

namespace RoleSync.Processing;

/// <summary>
/// The processing policy, used by every entry point (queue trigger, replay API, CLI): validate, order against the
/// ledger, apply to Clerk, record, converge. Never throws for bad input or failing dependencies; every message
/// ends in a <see cref="ProcessingResult"/>.
/// </summary>
/// <remarks>
/// Ordering: a change is applied only if it is newer than the ledger's newest change for the membership
/// (<see cref="Ordering.Decide(RoleChange, MembershipRecord?)"/>); it is recorded as newest (conditional write) before Clerk is called and
/// marked applied after. If, when marking, the newest has moved on, this worker's Clerk call may have overwritten a
/// newer role, so it applies the newest one too (convergence). Happy path: 1 ledger read, 2 conditional writes,
/// 1 Clerk call.
/// </remarks>
public sealed class RoleChangeProcessor(ClerkClient clerk, IMembershipLedger ledger, TimeProvider timeProvider)
{
    /// <summary>Bound on lost ledger races and convergence rounds for one message.</summary>
    public const int MaxRounds = 8;

    public Task<ProcessingResult> ProcessAsync(ReadOnlyMemory<byte> body, CancellationToken cancellationToken = default)
    {
        var parse = RoleChangeParser.Parse(body.Span, timeProvider.GetUtcNow());
        return parse.Change is { } change
            ? ProcessAsync(change, cancellationToken)
            : Task.FromResult(ProcessingResult.Invalid(parse));
    }

    public Task<ProcessingResult> ProcessAsync(RoleChange change, CancellationToken cancellationToken = default) =>
        TransientOnDependencyFailureAsync(change, ProcessCoreAsync(change, cancellationToken));

    /// <summary>Dry run: what <see cref="ProcessAsync(RoleChange, CancellationToken)"/> would do, changing nothing (reads only).</summary>
    public Task<ProcessingResult> PlanAsync(RoleChange change, CancellationToken cancellationToken = default) =>
        TransientOnDependencyFailureAsync(change, PlanCoreAsync(change, cancellationToken));

    private async Task<ProcessingResult> PlanCoreAsync(RoleChange change, CancellationToken cancellationToken)
    {
        var current = await ReadAsync(change.OrganizationId, change.UserId, cancellationToken).ConfigureAwait(false);
        switch (Ordering.Decide(change, current))
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
        return result.Membership switch
        {
            null => ProcessingResult.Rejected(change, Reasons.MembershipNotFound, $"{change.UserId} is not a member of {change.OrganizationId}."),
            { Role: var role } when role == change.Role => ProcessingResult.Of(Outcome.Unchanged, change, $"already {role}"),
            { Role: var role } => ProcessingResult.Of(Outcome.WouldApply, change, $"{role} -> {change.Role}"),
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

    private static ProcessingResult DuplicateOf(RoleChange change, MembershipRecord? current) =>
        ProcessingResult.Of(Outcome.Duplicate, change, $"{change.EventId} was already applied at {current?.AppliedAt:O}");

    private static ProcessingResult StaleOf(RoleChange change, OrderingDecision.Stale stale) =>
        ProcessingResult.Of(Outcome.Stale, change, $"a newer change is known: {stale.Newer.EventId} at {stale.Newer.OccurredAt:O} ({stale.Newer.Role})");

    private async Task<ProcessingResult> ProcessCoreAsync(RoleChange change, CancellationToken cancellationToken)
    {
        // 1. Claim: record the change as the membership's newest, or find that it is stale or a duplicate.
        MembershipRecord? record = null;
        ProcessingResult? staleRepair = null;
        for (int round = 0; record is null; round++)
        {
            if (round == MaxRounds)
            {
                return ProcessingResult.Transient(change, Reasons.LedgerUnavailable, $"The ledger record kept changing under {MaxRounds} attempts to claim it.");
            }
            var current = await ReadAsync(change.OrganizationId, change.UserId, cancellationToken).ConfigureAwait(false);
            switch (Ordering.Decide(change, current))
            {
                case OrderingDecision.New:
                    var now = timeProvider.GetUtcNow();
                    record = await TryWriteAsync(current is null ? MembershipRecord.NewestFrom(change, now) : current.WithNewest(change, now), cancellationToken).ConfigureAwait(false);
                    break;
                case OrderingDecision.Resume:
                    record = current;
                    break;
                case OrderingDecision.Duplicate:
                    return DuplicateOf(change, current);
                case OrderingDecision.Stale stale when current is { ClerkStateUnknown: true, NewestRejected: false }:
                    // The newest change's effect on Clerk is unknown (a convergence failed): repair it now.
                    record = current;
                    staleRepair = StaleOf(change, stale);
                    break;
                case OrderingDecision.Stale stale:
                    return StaleOf(change, stale);
            }
        }

        // 2. Apply the newest change, record the result, and converge if the newest moved on meanwhile.
        ProcessingResult? own = staleRepair;
        bool patch = true;
        ProcessingResult targetResult = ProcessingResult.Of(Outcome.Applied, change);
        for (int round = 0; round < MaxRounds; round++)
        {
            var target = NewestOf(record, change);
            if (patch)
            {
                var clerkResult = await clerk.UpdateMembershipRoleAsync(target.OrganizationId, target.UserId, target.Role, cancellationToken).ConfigureAwait(false);
                targetResult = clerkResult.Error is { } error ? ClerkErrorPolicy.Classify(target, error) : ProcessingResult.Of(Outcome.Applied, target);
                if (targetResult.Outcome == Outcome.Transient)
                {
                    if (round > 0 || own is not null)
                    {
                        // An earlier PATCH of ours may have overwritten a newer role and this repair failed: make the
                        // ledger say Clerk's state is unknown, so the next message for the membership applies the newest.
                        // (A first PATCH of the newest change needs no mark: its own message is retried and resumes it.)
                        await MarkUnknownAsync(record, cancellationToken).ConfigureAwait(false);
                    }
                    return ReferTo(change, targetResult);
                }
                if (target.EventId == change.EventId)
                {
                    own = targetResult;
                }
            }
            var now = timeProvider.GetUtcNow();
            var updated = targetResult.Outcome == Outcome.Applied
                ? record with { AppliedEventId = target.EventId, AppliedRole = target.Role, AppliedAt = now, ClerkStateUnknown = false }
                : record with { RejectedEventId = target.EventId, RejectedReason = targetResult.Reason, RejectedDetail = targetResult.Detail, RejectedAt = now };
            if (await TryWriteAsync(updated, cancellationToken).ConfigureAwait(false) is not null)
            {
                return own ?? targetResult;
            }
            var current = await ReadAsync(change.OrganizationId, change.UserId, cancellationToken).ConfigureAwait(false)
                ?? throw new LedgerUnavailableException($"The ledger record of {change.OrganizationId}/{change.UserId} disappeared while it was being processed.");
            // Apply again when the newest moved on (our PATCH may have overwritten it) or another worker's PATCH may
            // have landed late (ClerkStateUnknown).
            patch = current.NewestEventId != target.EventId || current.ClerkStateUnknown;
            if (patch && own is { Outcome: Outcome.Rejected })
            {
                own = ProcessingResult.Of(Outcome.Stale, change,
                    $"Clerk rejected it ({own.Reason}: {own.Detail}), and a newer change {current.NewestEventId} has since arrived");
            }
            record = current;
        }
        return ProcessingResult.Transient(change, Reasons.LedgerUnavailable, $"The membership kept changing during {MaxRounds} convergence rounds.");
    }

    /// <summary>A transient failure while applying another (newer) change is reported on this message, so it is retried.</summary>
    private static ProcessingResult ReferTo(RoleChange change, ProcessingResult result) =>
        result.Change == change ? result : result with { Change = change, EventId = change.EventId };

    private static RoleChange NewestOf(MembershipRecord record, RoleChange change) =>
        record.NewestEventId == change.EventId
            ? change
            : new RoleChange(record.NewestEventId, record.NewestOccurredAt, record.OrganizationId, record.UserId, record.NewestRole, record.NewestSource, null);

    /// <summary>Sets <see cref="MembershipRecord.ClerkStateUnknown"/> on the current record, re-reading after lost races.</summary>
    private async Task MarkUnknownAsync(MembershipRecord record, CancellationToken cancellationToken)
    {
        for (int round = 0; round < MaxRounds; round++)
        {
            if (record.ClerkStateUnknown || await TryWriteAsync(record with { ClerkStateUnknown = true }, cancellationToken).ConfigureAwait(false) is not null)
            {
                return;
            }
            if (await ReadAsync(record.OrganizationId, record.UserId, cancellationToken).ConfigureAwait(false) is not { } current)
            {
                return;
            }
            record = current;
        }
    }

    private async Task<MembershipRecord?> ReadAsync(string organizationId, string userId, CancellationToken cancellationToken)
    {
        try
        {
            return await ledger.GetAsync(organizationId, userId, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            throw new LedgerUnavailableException($"Could not read the ledger: {ex.GetType().Name}: {ex.Message}", ex);
        }
    }

    private async Task<MembershipRecord?> TryWriteAsync(MembershipRecord record, CancellationToken cancellationToken)
    {
        try
        {
            return await ledger.TryWriteAsync(record, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            throw new LedgerUnavailableException($"Could not write the ledger: {ex.GetType().Name}: {ex.Message}", ex);
        }
    }
}
