using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RoleSync.Contract;
using RoleSync.History;
using RoleSync.Ledger;
using RoleSync.Lifecycle;
using RoleSync.Processing;

namespace RoleSync.Guard;

/// <summary>
/// The bulk-change guard around one queue message's processing (the Functions handler runs the processor through it).
/// A privilege-reducing change (<see cref="IsReducingAsync"/>) is counted in its organization's shared window
/// (<see cref="IGuardStore"/>, conditional writes); once a change would push the count over <c>Guard:MaxPerWindow</c>
/// within <c>Guard:Window</c>, it and every further reducing change of the organization are held: a hold row is written,
/// the result is <c>Transient</c> <see cref="Reasons.HeldForApproval"/> (rescheduled after <c>Guard:RecheckInterval</c>
/// without spending an attempt), until an operator decides (<see cref="GuardHolds"/>). An approved hold is processed
/// normally (not counted again); a rejected one ends <c>Rejected</c> <see cref="Reasons.RejectedByOperator"/>.
/// Every delivery first looks up its event's hold (one point read): a held change waits for the decision even once it is
/// no longer privilege-reducing. Promotions and other organizations are otherwise not touched.
/// </summary>
public sealed partial class BulkChangeGuard(
    IGuardStore store,
    IMembershipLedger ledger,
    RoleMapper roles,
    MembershipHistoryRecorder history,
    RoleSyncTelemetry telemetry,
    IOptions<GuardOptions> options,
    TimeProvider timeProvider,
    ILogger<BulkChangeGuard> logger)
{
    /// <summary>
    /// Bound on lost races for the organization's window row. Every lost race is another writer's success, and each
    /// delivery succeeds at most once, so a delivery among N concurrent ones for one organization loses at most N - 1
    /// times: 64 covers host.json's 8 concurrent messages on 8 hosts all counting one organization's bulk change.
    /// (It was 10, and 12 concurrent removals on two hosts exhausted it: CI seed-free flake of GuardTwoHostsTests.)
    /// </summary>
    public const int MaxRounds = 64;

    /// <summary>The guard's options.</summary>
    public GuardOptions Options => options.Value;

    /// <summary>Processes <paramref name="body"/> with <paramref name="process"/> unless the guard holds it.</summary>
    public async Task<ProcessingResult> ProcessAsync(
        ReadOnlyMemory<byte> body, ProcessingContext context, Func<CancellationToken, Task<ProcessingResult>> process, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(process);
        if (!Options.Enabled || roles.Parse(body.Span, timeProvider.GetUtcNow()).Change is not { } change)
        {
            return await process(cancellationToken).ConfigureAwait(false);
        }
        ProcessingResult? verdict;
        try
        {
            // A held change waits for its decision even if it is no longer privilege-reducing (a newer change moved the
            // ledger's desired role off the protected one meanwhile): else it would be applied while the operator still
            // sees it held, and a rejection would cover a change already made (model check seed 154 of 'handled').
            verdict = await store.GetHoldAsync(change.OrganizationId, change.EventId, cancellationToken).ConfigureAwait(false) is { } hold
                ? await DecidedAsync(change, hold, context, cancellationToken).ConfigureAwait(false)
                : await IsReducingAsync(change, cancellationToken).ConfigureAwait(false)
                    ? await CountAsync(change, body, context, cancellationToken).ConfigureAwait(false)
                    : null;
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return ProcessingResult.Transient(change, Reasons.LedgerUnavailable, $"The guard table (Guard:TableName {Options.TableName}) could not be used: {ex.GetType().Name}: {ex.Message}");
        }
        return verdict ?? await process(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>A remove, or a set-role away from a protected role (the ledger's desired role is protected, the new one is not).</summary>
    public async Task<bool> IsReducingAsync(RoleChange change, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(change);
        if (change.IsRemoval)
        {
            return true;
        }
        if (Options.IsProtected(change.Role))
        {
            return false;
        }
        var record = change.IsResolved
            ? await ledger.GetAsync(change.OrganizationId, change.UserId, cancellationToken).ConfigureAwait(false)
            : await ledger.FindByIdentifierAsync(change.OrganizationId, change.ExternalId, change.EmailAddress, cancellationToken).ConfigureAwait(false);
        return record is not null && DesiredRole.Of(record) is { Absent: false } desired && Options.IsProtected(desired.Role);
    }

    /// <summary>A privilege-reducing change without a hold: null when it is counted (go on and process), else its new hold's result.</summary>
    private async Task<ProcessingResult?> CountAsync(RoleChange change, ReadOnlyMemory<byte> body, ProcessingContext context, CancellationToken cancellationToken)
    {
        var now = timeProvider.GetUtcNow();
        for (int round = 0; round < MaxRounds; round++)
        {
            var window = (await store.ReadWindowAsync(change.OrganizationId, cancellationToken).ConfigureAwait(false)).Since(now - Options.Window);
            if (window.Recent.Any(m => m.EventId == change.EventId))
            {
                return null; // counted before (a redelivery)
            }
            if (!window.Holding && window.Recent.Count < Options.MaxPerWindow)
            {
                if (await store.TryWriteWindowAsync(window with { Recent = [.. window.Recent, new GuardMark(change.EventId, now)] }, cancellationToken).ConfigureAwait(false) is not null)
                {
                    return null;
                }
                continue;
            }
            var holding = window with { Holding = true, HoldingSince = window.HoldingSince ?? now, HoldSequence = window.HoldSequence + 1 };
            if (await store.TryWriteWindowAsync(holding, cancellationToken).ConfigureAwait(false) is null)
            {
                continue;
            }
            var held = new GuardHold(change.OrganizationId, change.EventId, holding.HoldSequence, now, change.UserId, change.Role, change.IsRemoval,
                Encoding.UTF8.GetString(body.Span));
            await store.TryWriteHoldAsync(held, cancellationToken).ConfigureAwait(false); // null: another delivery wrote it first
            var result = Held(change, held, window.Recent.Count);
            telemetry.GuardHeld.Add(1);
            LogHeld(logger, change.OrganizationId, change.EventId, change.UserId, change.IsRemoval ? "remove" : change.Role, held.Sequence, window.Recent.Count, Options.MaxPerWindow, Options.Window);
            await history.RecordAsync(result, context, cancellationToken).ConfigureAwait(false);
            return result;
        }
        return ProcessingResult.Transient(change, Reasons.LedgerUnavailable, $"The guard row of {change.OrganizationId} kept changing under {MaxRounds} attempts to count the change.");
    }

    /// <summary>A held change's delivery: its own decision, or the organization's last one when that covers its number.</summary>
    private async Task<ProcessingResult?> DecidedAsync(RoleChange change, GuardHold hold, ProcessingContext context, CancellationToken cancellationToken)
    {
        var (decision, by, at) = (hold.Decision, hold.DecidedBy, hold.DecidedAt);
        if (decision == GuardDecision.Held)
        {
            var window = await store.ReadWindowAsync(change.OrganizationId, cancellationToken).ConfigureAwait(false);
            if (window.DecidedThrough >= hold.Sequence)
            {
                (decision, by, at) = (window.LastDecision, window.DecidedBy, window.DecidedAt);
            }
        }
        switch (decision)
        {
            case GuardDecision.Approved:
                return null;
            case GuardDecision.Rejected:
                var rejected = ProcessingResult.Rejected(change, Reasons.RejectedByOperator,
                    $"Held by the bulk-change guard (hold {hold.Sequence} of {hold.OrganizationId} at {hold.HeldAt:O}) and rejected by operator {by} at {at:O}; not applied");
                await history.RecordAsync(rejected, context, cancellationToken).ConfigureAwait(false);
                return rejected;
            default:
                return Held(change, hold, null);
        }
    }

    private ProcessingResult Held(RoleChange change, GuardHold hold, int? counted)
    {
        var count = counted is { } n ? $"{n} privilege-reducing changes of {change.OrganizationId} in the last {Options.Window:c} (Guard:MaxPerWindow {Options.MaxPerWindow}); " : "";
        return ProcessingResult.Transient(change, Reasons.HeldForApproval,
            $"Held by the bulk-change guard: {count}hold {hold.Sequence} since {hold.HeldAt:O} waits for an operator (POST /api/holds/{change.OrganizationId}/approve or /reject); rechecked every {Options.RecheckInterval:c} without spending an attempt",
            Options.RecheckInterval);
    }

    [LoggerMessage(Level = LogLevel.Warning, EventName = "ChangeHeld",
        Message = "Bulk-change guard: held {OrganizationId}/{UserId} ({Role}) event {EventId} as hold {Sequence}: {Counted} privilege-reducing changes already within {Window} (Guard:MaxPerWindow {MaxPerWindow}); waiting for an operator to approve or reject")]
    private static partial void LogHeld(ILogger logger, string organizationId, string eventId, string userId, string role, long sequence, int counted, int maxPerWindow, TimeSpan window);
}
