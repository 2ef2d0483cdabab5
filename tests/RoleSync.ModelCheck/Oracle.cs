using RoleSync.Processing;

namespace RoleSync.ModelCheck;

/// <summary>
/// The property, computed from the simulation's own knowledge of the world (which changes exist, their order by the
/// contract's rule, and which roles Clerk accepts), not from RoleSync's code:
/// <list type="number">
/// <item>Every message ended with a recorded outcome: each lineage was completed or dead-lettered, nothing is left on
/// the queue, held by a worker, pending, or travelling to Clerk.</item>
/// <item>No change lost, no outcome a lie: Applied/Duplicate only for a change Clerk accepts; Stale only when a newer
/// change exists; a rejection only for a change Clerk rejects, with Clerk's reason (RoleNotFound, LastAdmin);
/// RetriesExhausted and MaxDeliveryCountExceeded leave the change parked in the dead-letter queue for the operator.
/// The ledger never records as applied a change Clerk rejects.</item>
/// <item>For every membership, Clerk's role is the desired role: the role of the newest change when Clerk accepts it
/// (no membership at all when that change is a removal).
/// When Clerk rejects the newest change, the newest change Clerk accepted: at least as new as the newest change the
/// ledger durably recorded as applied (RoleSync knows of that one; a late PATCH of an older change must not win), and
/// older than the rejected newest (or the initial role when nothing was recorded applied).</item>
/// </list>
/// A parked change may or may not have reached the ledger before it was parked, so when the newest change is parked the
/// desired role may also be the one computed without it (and so on down a run of parked changes).
/// </summary>
internal static class Oracle
{
    public static List<string> Check(Simulation simulation)
    {
        var violations = new List<string>();
        var world = simulation.World;
        var lineages = world.Messages.Select(m => m.Lineage).ToList();

        foreach (var lineage in lineages)
        {
            var change = lineage.Change;
            if (lineage.Final is null || lineage.Live != 0)
            {
                violations.Add($"{change.EventId} {lineage.Name} has no recorded outcome ({lineage.Live} deliveries live; settlements: {string.Join(", ", lineage.Settlements)})");
                continue;
            }
            switch (lineage.Final)
            {
                case nameof(Outcome.Applied) or nameof(Outcome.Duplicate) when !change.Accepted:
                    violations.Add($"{change} {lineage.Name} ended {lineage.Final}, but Clerk rejects {change.Role} for {change.Membership}");
                    break;
                case nameof(Outcome.Stale) when !change.Membership.Changes.Any(c => c.IsNewerThan(change)):
                    violations.Add($"{change} {lineage.Name} ended Stale, but it is the newest change of {change.Membership}");
                    break;
                case Reasons.RoleNotFound or Reasons.LastAdmin when change.Membership.Organization.RejectionReason(change.Role) != lineage.Final:
                    violations.Add($"{change} {lineage.Name} was dead-lettered {lineage.Final}; Clerk's answer for it is {change.Membership.Organization.RejectionReason(change.Role) ?? "200"}");
                    break;
                case nameof(Outcome.Applied) or nameof(Outcome.Duplicate) or nameof(Outcome.Stale)
                    or Reasons.RoleNotFound or Reasons.LastAdmin or Reasons.RetriesExhausted or "MaxDeliveryCountExceeded":
                    break;
                default:
                    violations.Add($"{change} {lineage.Name} ended {lineage.Final}, which no fault of this world explains");
                    break;
            }
        }

        foreach (var membership in world.Memberships)
        {
            var byAge = membership.Changes.OrderBy(c => c, Comparer<Change>.Create((a, b) => a == b ? 0 : a.IsNewerThan(b) ? 1 : -1)).ToList();
            var recorded = simulation.Ledger.RecordedApplied.GetValueOrDefault(membership.Key) ?? [];
            foreach (var eventId in recorded)
            {
                if (byAge.Find(c => c.EventId == eventId) is not { Accepted: true } change)
                {
                    violations.Add($"the ledger recorded {eventId} as applied for {membership}, a change Clerk rejects or that does not exist");
                }
            }
            var newestRecorded = byAge.FindLastIndex(c => recorded.Contains(c.EventId));
            var expected = new SortedSet<string>(StringComparer.Ordinal);
            for (int n = byAge.Count - 1; n >= 0; n--)
            {
                var newest = byAge[n];
                if (newest.Accepted)
                {
                    expected.Add(State(newest.Role));
                }
                else
                {
                    // The newest change was rejected: the newest change Clerk accepted, no older than the newest recorded applied.
                    for (int c = Math.Max(newestRecorded, 0); c < n; c++)
                    {
                        if (byAge[c].Accepted && (newestRecorded < 0 || c >= newestRecorded))
                        {
                            expected.Add(State(byAge[c].Role));
                        }
                    }
                    if (newestRecorded < 0 || newestRecorded >= n)
                    {
                        expected.Add(newestRecorded < 0 ? membership.InitialRole : State(byAge[newestRecorded].Role));
                    }
                }
                if (!IsParked(newest, lineages))
                {
                    break;
                }
                if (n == 0)
                {
                    // Every change of the membership is parked: without them, Clerk keeps the role it started with.
                    expected.Add(newestRecorded < 0 ? membership.InitialRole : State(byAge[newestRecorded].Role));
                }
            }
            var actual = simulation.Clerk.RoleOf(membership.Organization.Id, membership.UserId) ?? Absent;
            if (!expected.Contains(actual))
            {
                violations.Add($"{membership}: Clerk holds {actual}, the desired role is {string.Join(" or ", expected)} (changes oldest first: {string.Join(" ", byAge.Select(c => c + (c.Accepted ? "" : "(rejected)")))}; ledger recorded applied: {string.Join(",", recorded)})");
            }
        }
        return violations;
    }

    /// <summary>Clerk's state a membership should be in: a role, or <see cref="Absent"/> after a removal.</summary>
    private const string Absent = "no membership";

    private static string State(string role) => role == Change.Remove ? Absent : role;

    /// <summary>Every lineage of the change ended in the dead-letter queue for want of retries: the operator has it.</summary>
    private static bool IsParked(Change change, List<Lineage> lineages) =>
        lineages.Where(l => l.Change == change).All(l => l.Final is Reasons.RetriesExhausted or "MaxDeliveryCountExceeded");
}
