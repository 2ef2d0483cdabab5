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
        var key = (change.OrganizationId, change.UserId);
        if (!_planned.TryGetValue(key, out var earlier))
        {
            var result = await processor.PlanAsync(change, ct).ConfigureAwait(false);
            if (result.Outcome is Outcome.WouldApply or Outcome.Unchanged)
            {
                _planned[key] = change;
            }
            return result;
        }
        // The earlier change counts as applied: this run would have applied it by now.
        switch (Ordering.Decide(change, new NewestChange(earlier.EventId, earlier.EffectiveAt, earlier.Role, Applied: true)))
        {
            case OrderingDecision.Duplicate:
                return ProcessingResult.Of(Outcome.Duplicate, change, $"{change.EventId} appears earlier in this input");
            case OrderingDecision.Stale:
                return ProcessingResult.Of(Outcome.Stale, change,
                    $"a newer change appears earlier in this input: {earlier.EventId} at {earlier.OccurredAt:O} ({earlier.Role})");
        }
        _planned[key] = change;
        return earlier.Role == change.Role
            ? ProcessingResult.Of(Outcome.Unchanged, change, $"already {change.Role} after {earlier.EventId}")
            : ProcessingResult.Of(Outcome.WouldApply, change, $"{earlier.Role} -> {change.Role} (after {earlier.EventId})");
    }
}
