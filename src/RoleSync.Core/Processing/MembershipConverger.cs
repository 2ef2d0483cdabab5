using RoleSync.Clerk;
using RoleSync.Contract;
using Microsoft.Extensions.Options;
using RoleSync.Ledger;
using RoleSync.Lifecycle;

namespace RoleSync.Processing;

/// <summary>
/// Puts Clerk on a membership's <see cref="DesiredRole"/> and records it in the ledger — the one loop behind the
/// processor's apply step (PATCH the newest change, converge when the newest moves on meanwhile), verification when in
/// doubt (read Clerk back first, repair only what differs) and the reconciler (verify, repair or only report).
/// </summary>
/// <remarks>
/// Every ledger write is conditional on the version read, so a write that loses a race means the record moved on: the
/// loop reads it again and, since this worker's PATCH may have landed after a newer one, puts Clerk on the new desired
/// role. A PATCH that fails transiently while Clerk's state is in doubt marks the record
/// <see cref="MembershipRecord.ClerkStateUnknown"/>, so the next message for the membership and the reconciler verify it.
/// Writes go through <see cref="MembershipWriter"/> (PATCH, POST for joiners, DELETE for leavers); a desired state
/// <see cref="DesiredRole.Absent"/> is in sync when the user is not a member, and a membership that reappears is drift.
/// </remarks>
public sealed class MembershipConverger(ClerkClient clerk, IMembershipLedger ledger, TimeProvider timeProvider, MembershipWriter writer)
{
    /// <summary>A converger whose writer does not create missing memberships.</summary>
    public MembershipConverger(ClerkClient clerk, IMembershipLedger ledger, TimeProvider timeProvider)
        : this(clerk, ledger, timeProvider, new MembershipWriter(clerk, Options.Create(new MembershipOptions())))
    {
    }

    /// <summary>The membership-write step (for the dry run: whether joiners would be created).</summary>
    internal MembershipWriter Writer => writer;

    /// <summary>Bound on lost ledger races and convergence rounds for one call.</summary>
    public const int MaxRounds = 8;

    /// <summary>Reads the membership's record and verifies it against Clerk; with <paramref name="repair"/> puts a different role right.</summary>
    public async Task<VerifyResult> VerifyAsync(string organizationId, string userId, bool repair, CancellationToken cancellationToken = default)
    {
        var record = await LedgerCalls.ReadAsync(ledger, organizationId, userId, cancellationToken).ConfigureAwait(false);
        return record is null ? new VerifyResult(VerifyStatus.InSync) : await VerifyAsync(record, repair, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Verifies <paramref name="record"/> (just read by the caller) against Clerk; with <paramref name="repair"/> puts a different role right.</summary>
    public async Task<VerifyResult> VerifyAsync(MembershipRecord record, bool repair, CancellationToken cancellationToken = default) =>
        (await RunAsync(record, new Mode(ReadFirst: true, Repair: repair), null, cancellationToken).ConfigureAwait(false)).Verify;

    /// <summary>
    /// Verifies <paramref name="record"/> when Clerk's state was just read in bulk (<paramref name="observed"/>; null: not
    /// a member), so an in-sync membership costs no further call.
    /// </summary>
    public async Task<VerifyResult> VerifyAsync(MembershipRecord record, ClerkMembership? observed, bool repair, CancellationToken cancellationToken = default) =>
        (await RunAsync(record, new Mode(ReadFirst: true, Repair: repair, Observed: new Observation(observed)), null, cancellationToken).ConfigureAwait(false)).Verify;

    /// <summary>The processor's apply step: PATCH the record's desired role (no read first) until the record is stable.</summary>
    internal Task<ConvergeOutcome> ApplyAsync(MembershipRecord record, Action<RoleChange, ProcessingResult> onPatched, CancellationToken cancellationToken) =>
        RunAsync(record, new Mode(ReadFirst: false, Repair: true), onPatched, cancellationToken);

    /// <summary>Verification for the processor: read Clerk back and repair.</summary>
    internal Task<ConvergeOutcome> VerifyRecordAsync(MembershipRecord record, CancellationToken cancellationToken) =>
        RunAsync(record, new Mode(ReadFirst: true, Repair: true), null, cancellationToken);

    private sealed record Observation(ClerkMembership? Membership);

    private sealed record Mode(bool ReadFirst, bool Repair, Observation? Observed = null);

    private async Task<ConvergeOutcome> RunAsync(MembershipRecord record, Mode mode, Action<RoleChange, ProcessingResult>? onPatched, CancellationToken cancellationToken)
    {
        bool read = mode.ReadFirst, repaired = false;
        var observed = mode.Observed;
        int patches = 0;
        bool ambiguous = false; // an attempt of one of our PATCHes went unanswered: it may still land
        string? clerkRole = null;
        string? acceptedEventId = null; // our PATCH of this change was accepted; after a lost write only the write is redone
        RoleChange? accepted = null;    // the newest change our PATCHes got accepted
        for (int round = 0; round < MaxRounds; round++)
        {
            var desired = DesiredRole.Of(record);
            if (desired is null)
            {
                return Done(VerifyStatus.InSync, clerkRole, null, patches, record);
            }
            bool differs = true, missing = false;
            if (read)
            {
                ClerkMembership? membership;
                if (observed is not null)
                {
                    membership = observed.Membership;
                    observed = null;
                }
                else
                {
                    var got = await clerk.GetMembershipAsync(record.OrganizationId, record.UserId, cancellationToken).ConfigureAwait(false);
                    if (got.Error is { } error)
                    {
                        return await FailAsync(record, ClerkErrorPolicy.Classify(desired.Change, error), desired, clerkRole, patches, cancellationToken).ConfigureAwait(false);
                    }
                    membership = got.Membership;
                }
                missing = membership is null;
                if (missing && !desired.Absent && !(mode.Repair && writer.CreateMissing))
                {
                    return Done(VerifyStatus.NotAMember, null, desired.Role, patches, record);
                }
                if (missing && !desired.Absent && await LedgerCalls.ReadExistingAsync(ledger, record, cancellationToken).ConfigureAwait(false) is { } fresh
                    && fresh.ETag != record.ETag)
                {
                    // About to add a member back: only on the newest record (a removal may have just deleted it).
                    record = fresh;
                    continue;
                }
                clerkRole = membership?.Role;
                differs = desired.Absent ? !missing : membership?.Role != desired.Role;
                if (differs && !mode.Repair)
                {
                    return Done(VerifyStatus.Drift, clerkRole, desired.Role, patches, record);
                }
            }

            MembershipRecord updated;
            bool checkAfterRejection = false;
            var now = timeProvider.GetUtcNow();
            if (!differs || acceptedEventId == desired.Change.EventId)
            {
                if (!differs && !desired.Pending && !record.ClerkStateUnknown)
                {
                    return Done(repaired ? VerifyStatus.Repaired : VerifyStatus.InSync, clerkRole, desired.Role, patches, record);
                }
                // Clerk holds the desired role (read back, or our PATCH of it was accepted): record that.
                updated = desired.Pending ? record.WithAccepted(desired.Change, now) : record.WithVerified(repaired: false, now);
            }
            else
            {
                var write = await writer.WriteAsync(desired.Change, knownMissing: missing, cancellationToken).ConfigureAwait(false);
                patches += write.Writes;
                ambiguous |= write.Ambiguous;
                var result = write.Result;
                onPatched?.Invoke(desired.Change, result);
                switch (result.Outcome)
                {
                    case Outcome.Transient:
                        // A first PATCH of the newest change needs no mark: its own message is retried and resumes it.
                        // Otherwise an earlier PATCH (ours or another worker's) may have left another role in Clerk.
                        // An unanswered attempt may still land, later than a newer change: that is a doubt too.
                        bool doubt = read || patches > 1 || !desired.Pending || write.Ambiguous;
                        return doubt
                            ? await FailAsync(record, result, desired, clerkRole, patches, cancellationToken).ConfigureAwait(false)
                            : new ConvergeOutcome(new VerifyResult(VerifyStatus.Failed, clerkRole, desired.Role, result), result, patches, record);
                    case Outcome.Rejected when !desired.Pending:
                        // Clerk refuses a role it accepted before (the role was deleted since, Directory Sync took over).
                        var status = result.Reason == Reasons.ManagedByDirectory ? VerifyStatus.ManagedByDirectory : VerifyStatus.Failed;
                        return new ConvergeOutcome(new VerifyResult(status, clerkRole, desired.Role, result), null, patches, record);
                    case Outcome.Rejected:
                        updated = record.WithRejected(desired.Change, result.Reason, result.Detail, now);
                        // Clerk kept its role; if that role is in doubt, check it holds the newest accepted one.
                        checkAfterRejection = read || record.ClerkStateUnknown;
                        break;
                    default:
                        acceptedEventId = desired.Change.EventId;
                        accepted = accepted is null || desired.Change.IsNewerThan(accepted.EffectiveAt, accepted.EventId) ? desired.Change : accepted;
                        repaired |= read;
                        updated = record.WithAccepted(desired.Change, now);
                        updated = read ? updated.WithVerified(repaired: true, now) : updated;
                        break;
                }
            }

            if (await LedgerCalls.TryWriteAsync(ledger, updated, cancellationToken).ConfigureAwait(false) is { } stored)
            {
                if (!checkAfterRejection)
                {
                    return Done(repaired ? VerifyStatus.Repaired : VerifyStatus.InSync, clerkRole, desired.Role, patches, stored) with { Ambiguous = ambiguous };
                }
                record = stored;
                read = true;
                continue;
            }
            // Lost a race: the newest moved on (our PATCH may have overwritten it) or another writer marked Clerk's
            // state unknown (then even our own accepted change is sent again).
            var reread = await LedgerCalls.ReadExistingAsync(ledger, record, cancellationToken).ConfigureAwait(false);
            // Clerk accepted our PATCH: that stays true whatever else was written meanwhile, so the record we go on
            // with knows it (the accepted change may now be the newest Clerk accepted, e.g. when a newer one was
            // rejected meanwhile); the next write stores it.
            record = accepted is null ? reread : reread.WithAccepted(accepted, timeProvider.GetUtcNow()) with { ClerkStateUnknown = reread.ClerkStateUnknown };
            if (record.ClerkStateUnknown)
            {
                acceptedEventId = null;
            }
        }
        var exhausted = ProcessingResult.Transient(record.NewestChange(), Reasons.LedgerUnavailable, $"The membership kept changing during {MaxRounds} convergence rounds.");
        return new ConvergeOutcome(new VerifyResult(VerifyStatus.Failed, clerkRole, null, exhausted), exhausted, patches, record);
    }

    private async Task<ConvergeOutcome> FailAsync(MembershipRecord record, ProcessingResult failure, DesiredRole desired, string? clerkRole, int patches, CancellationToken cancellationToken)
    {
        await LedgerCalls.MarkUnknownAsync(ledger, record, MaxRounds, cancellationToken).ConfigureAwait(false);
        return new ConvergeOutcome(new VerifyResult(VerifyStatus.Failed, clerkRole, desired.Role, failure),
            failure.Outcome == Outcome.Transient ? failure : null, patches, record);
    }

    private static ConvergeOutcome Done(VerifyStatus status, string? clerkRole, string? desiredRole, int patches, MembershipRecord record) =>
        new(new VerifyResult(status, clerkRole, desiredRole), null, patches, record);
}
