namespace RoleSync.Guard;

/// <summary>
/// The operator's side of the bulk-change guard: list the held changes, approve or reject an organization's. A decision
/// is one conditional write of the organization's window row (it covers every hold numbered so far:
/// <see cref="GuardWindow.DecidedThrough"/>, and ends the holding with a fresh count), then each hold row is marked in
/// order; a held message sees the decision on its next delivery (<see cref="BulkChangeGuard"/>). Approved changes are
/// processed normally and not counted again; rejected ones are dead-lettered <c>RejectedByOperator</c>.
/// </summary>
public sealed class GuardHolds(IGuardStore store, TimeProvider timeProvider)
{
    /// <summary>Held changes shown per organization in <see cref="ListAsync"/>.</summary>
    public const int SampleSize = 5;

    /// <summary>Every organization with changes waiting for an operator (only <paramref name="organizationId"/>'s when given).</summary>
    public async Task<IReadOnlyList<GuardHoldSummary>> ListAsync(string? organizationId = null, CancellationToken cancellationToken = default)
    {
        var waiting = await HeldAsync(organizationId, cancellationToken).ConfigureAwait(false);
        var summaries = new List<GuardHoldSummary>();
        foreach (var group in waiting.GroupBy(h => h.OrganizationId, StringComparer.Ordinal))
        {
            var window = await store.ReadWindowAsync(group.Key, cancellationToken).ConfigureAwait(false);
            var open = Open(group, window);
            if (open.Count > 0)
            {
                summaries.Add(new GuardHoldSummary(group.Key, open.Count, open[0].HeldAt, open[^1].HeldAt, window.HoldingSince, [.. open.Take(SampleSize)]));
            }
        }
        return summaries;
    }

    /// <summary>The changes of one membership still waiting for an operator, in the order they were held.</summary>
    public async Task<IReadOnlyList<GuardHold>> WaitingAsync(string organizationId, string userId, CancellationToken cancellationToken = default)
    {
        // One point read first: when every hold numbered so far is decided, none can be open, and the (never deleted)
        // hold rows of the organization need not be listed.
        var window = await store.ReadWindowAsync(organizationId, cancellationToken).ConfigureAwait(false);
        if (window.HoldSequence <= window.DecidedThrough)
        {
            return [];
        }
        return Open((await HeldAsync(organizationId, cancellationToken).ConfigureAwait(false)).Where(h => h.UserId == userId), window);
    }

    /// <summary>The holds a decision of the organization does not cover yet (a hold row is marked after the window's decision).</summary>
    private static List<GuardHold> Open(IEnumerable<GuardHold> held, GuardWindow window) =>
        [.. held.Where(h => h.Sequence > window.DecidedThrough).OrderBy(h => h.Sequence)];

    /// <summary>Releases every held change of the organization into normal processing, in order.</summary>
    public Task<GuardDecisionResult> ApproveAsync(string organizationId, string operatorName, CancellationToken cancellationToken = default) =>
        DecideAsync(organizationId, GuardDecision.Approved, operatorName, cancellationToken);

    /// <summary>Rejects every held change of the organization: each is dead-lettered <c>RejectedByOperator</c> naming the operator.</summary>
    public Task<GuardDecisionResult> RejectAsync(string organizationId, string operatorName, CancellationToken cancellationToken = default) =>
        DecideAsync(organizationId, GuardDecision.Rejected, operatorName, cancellationToken);

    private async Task<GuardDecisionResult> DecideAsync(string organizationId, GuardDecision decision, string operatorName, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(organizationId);
        ArgumentException.ThrowIfNullOrWhiteSpace(operatorName);
        var now = timeProvider.GetUtcNow();
        GuardWindow? decided = null;
        for (int round = 0; decided is null; round++)
        {
            if (round == BulkChangeGuard.MaxRounds)
            {
                throw new InvalidOperationException($"The guard row of {organizationId} kept changing under {BulkChangeGuard.MaxRounds} attempts to record the decision.");
            }
            var window = await store.ReadWindowAsync(organizationId, cancellationToken).ConfigureAwait(false);
            decided = await store.TryWriteWindowAsync(window with
            {
                Recent = [], // a fresh count: the released changes are not counted again
                Holding = false,
                HoldingSince = null,
                DecidedThrough = window.HoldSequence,
                LastDecision = decision,
                DecidedBy = operatorName,
                DecidedAt = now,
            }, cancellationToken).ConfigureAwait(false);
        }
        var covered = new List<string>();
        foreach (var hold in (await HeldAsync(organizationId, cancellationToken).ConfigureAwait(false)).Where(h => h.Sequence <= decided.DecidedThrough))
        {
            // Marked for the list; a lost race here is harmless, as the window's decision already covers the hold.
            await store.TryWriteHoldAsync(hold with { Decision = decision, DecidedBy = operatorName, DecidedAt = now }, cancellationToken).ConfigureAwait(false);
            covered.Add(hold.EventId);
        }
        return new GuardDecisionResult(organizationId, decision, covered.Count, covered, operatorName, now);
    }

    /// <summary>The holds still marked held, in the order they arrived (by organization, then number).</summary>
    private async Task<List<GuardHold>> HeldAsync(string? organizationId, CancellationToken cancellationToken)
    {
        var held = new List<GuardHold>();
        await foreach (var hold in store.ListHoldsAsync(organizationId, cancellationToken).ConfigureAwait(false))
        {
            if (hold.Decision == GuardDecision.Held)
            {
                held.Add(hold);
            }
        }
        return [.. held.OrderBy(h => h.OrganizationId, StringComparer.Ordinal).ThenBy(h => h.Sequence)];
    }
}
