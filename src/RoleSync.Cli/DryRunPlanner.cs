using System.Collections.Concurrent;
using RoleSync.Contract;
using RoleSync.Processing;

namespace RoleSync.Cli;

/// <summary>
/// Dry run over a whole input: the first change of a membership is planned against the ledger and Clerk
/// (<see cref="RoleChangeProcessor.PlanAsync"/>, reads only); later changes of the same membership are planned
/// against the earlier ones, as if those had been applied. So an out-of-order pair shows as would-apply + stale, and
/// a repeated event as duplicate, just as <c>apply</c> would report them.
/// </summary>
/// <remarks>Relies on <see cref="ApplyRunner"/> running one membership's changes one at a time, in input order.</remarks>
internal sealed class DryRunPlanner(RoleChangeProcessor processor)
{
    private readonly ConcurrentDictionary<(string, string), RoleChange> _planned = new();

    public async Task<ProcessingResult> PlanAsync(RoleChange change, CancellationToken ct)
    {
        // Resolve first (role mapping, user lookup), so one person's changes by email and by user id share a key.
        var resolved = await processor.Resolver.ResolveAsync(change, ct).ConfigureAwait(false);
        if (resolved.Change is not { } ready)
        {
            var ended = resolved.Result!;
            return ended is { Outcome: Outcome.Rejected, Reason: Reasons.UserNotFound } ? ended with { Outcome = Outcome.NotFound } : ended;
        }
        var key = (ready.OrganizationId, ready.UserId);
        if (!_planned.TryGetValue(key, out var earlier))
        {
            var result = await processor.PlanAsync(ready, ct).ConfigureAwait(false);
            if (result.Outcome is Outcome.WouldApply or Outcome.Unchanged or Outcome.WouldCreate or Outcome.WouldRemove)
            {
                _planned[key] = ready;
            }
            return result;
        }
        // The earlier change counts as applied: this run would have applied it by now.
        var earlierState = earlier.IsRemoval ? "not a member" : earlier.Role;
        switch (Ordering.Decide(ready, new NewestChange(earlier.EventId, earlier.EffectiveAt, earlier.IsRemoval ? "remove" : earlier.Role, Applied: true)))
        {
            case OrderingDecision.Duplicate:
                return ProcessingResult.Of(Outcome.Duplicate, ready, $"{ready.EventId} appears earlier in this input");
            case OrderingDecision.Stale:
                return ProcessingResult.Of(Outcome.Stale, ready,
                    $"a newer change appears earlier in this input: {earlier.EventId} at {earlier.OccurredAt:O} ({(earlier.IsRemoval ? "remove" : earlier.Role)})");
        }
        var after = $"(after {earlier.EventId})";
        var planned = (ready.IsRemoval, earlier.IsRemoval) switch
        {
            (true, true) => ProcessingResult.Of(Outcome.Unchanged, ready, $"not a member {after}"),
            (true, false) => ProcessingResult.Of(Outcome.WouldRemove, ready, $"remove {earlierState} {after}"),
            (false, true) when processor.CreateMissing => ProcessingResult.Of(Outcome.WouldCreate, ready, $"add as {ready.Role} {after}"),
            (false, true) => ProcessingResult.Of(Outcome.NotFound, ready, $"not a member {after}; Membership__CreateMissing is false") with { Reason = Reasons.MembershipNotFound },
            _ when earlier.Role == ready.Role => ProcessingResult.Of(Outcome.Unchanged, ready, $"already {ready.Role} {after}"),
            _ => ProcessingResult.Of(Outcome.WouldApply, ready, $"{earlier.Role} -> {ready.Role} {after}"),
        };
        if (planned.Outcome != Outcome.NotFound)
        {
            _planned[key] = ready;
        }
        return planned;
    }
}
