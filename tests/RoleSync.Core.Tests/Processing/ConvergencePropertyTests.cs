using System.Collections.Concurrent;
using static RoleSync.Testing.Messages;

namespace RoleSync.Core.Tests.Processing;

/// <summary>
/// Whatever the order, duplication and concurrency of deliveries, every membership ends on the role of its newest
/// change, in Clerk and in the ledger. Real components: the Clerk sandbox over HTTP and the ledger in Azurite.
/// </summary>
public sealed class ConvergencePropertyTests
{
    private static readonly string[] Roles = ["org:member", "org:billing", "org:admin"];

    private sealed record Delivery(int User, string EventId, int Minute, string Role);

    private sealed record Scenario(Delivery[] Deliveries, int Workers)
    {
        public override string ToString() =>
            $"{Workers} workers: " + string.Join(" ", Deliveries.Select(d => $"u{d.User}/{d.EventId}@{d.Minute}:{d.Role[4..]}"));
    }

    /// <summary>1–3 memberships, 1–6 changes each (minutes from a small range so ties happen), some delivered twice, shuffled.</summary>
    private static readonly Gen<Scenario> Scenarios =
        from users in Gen.Int[1, 3]
        from changes in Gen.Select(Gen.Int[0, users - 1], Gen.Int[0, 4], Gen.Int[0, Roles.Length - 1]).Array[1, 12]
        from duplicates in Gen.Int[0, changes.Length - 1].Array[0, 4]
        from workers in Gen.Int[1, 8]
        from order in Gen.Int.Array[changes.Length + duplicates.Length]
        let unique = changes.Select((c, i) => new Delivery(c.Item1, $"e{i:D2}", c.Item2, Roles[c.Item3])).ToArray()
        let all = unique.Concat(duplicates.Select(i => unique[i])).ToArray()
        select new Scenario(all.Zip(order).OrderBy(p => p.Second).Select(p => p.First).ToArray(), workers);

    [Fact]
    public async Task Every_membership_converges_to_its_newest_change()
    {
        var ledger = new TableMembershipLedger(new Azure.Data.Tables.TableClient(await Azurite.GetConnectionStringAsync(), Azurite.NewTableName("conv")));
        await using var h = await RoleSyncHarness.StartAsync(ledger: new ShakingLedger(ledger), sandbox: o =>
        {
            o.InstanceLimit = 0;
            o.MembershipLimit = 0; // the property is about ordering; rate limits have their own tests
        });
        int caseNumber = 0;

        await Scenarios.SampleAsync(async scenario =>
        {
            // A fresh organization per case: a permanent admin (so demotions never hit the last-admin rule) and members.
            var org = $"org_case{Interlocked.Increment(ref caseNumber)}x{Guid.NewGuid():N}"[..40];
            h.Clerk.AddOrganization(org, Roles);
            h.Clerk.AddMember(org, "user_keeper", "org:admin");
            for (int u = 0; u < 3; u++)
            {
                h.Clerk.AddMember(org, $"user_u{u}", "org:member");
            }

            var queue = new ConcurrentQueue<Delivery>(scenario.Deliveries);
            var outcomes = new ConcurrentBag<ProcessingResult>();
            await Task.WhenAll(Enumerable.Range(0, scenario.Workers).Select(_ => Task.Run(async () =>
            {
                while (queue.TryDequeue(out var d))
                {
                    // A transient outcome (e.g. 8 workers contending for one record) is retried, as the queue's
                    // settlement does, within the default retry budget (Retry:MaxAttempts = 8); the final outcome counts.
                    // Event ids are unique per case: an event id names one change across every membership (EventIdReused).
                    var body = Bytes(Plain($"{org}-{d.EventId}", BaseTime.AddMinutes(d.Minute), org, $"user_u{d.User}", d.Role));
                    var result = await h.Processor.ProcessAsync(body);
                    for (int attempt = 2; result.Outcome == Outcome.Transient && attempt <= new RetryOptions().MaxAttempts; attempt++)
                    {
                        result = await h.Processor.ProcessAsync(body);
                    }
                    outcomes.Add(result);
                }
            })));

            Assert.All(outcomes, r => Assert.Contains(r.Outcome, new[] { Outcome.Applied, Outcome.Stale, Outcome.Duplicate, Outcome.Rejected }));
            foreach (var group in scenario.Deliveries.GroupBy(d => d.User))
            {
                var newest = group.OrderBy(d => d.Minute).ThenBy(d => d.EventId, StringComparer.Ordinal).Last();
                var user = $"user_u{group.Key}";
                Assert.Equal(newest.Role, h.Clerk.GetRole(org, user));
                var record = await ledger.GetAsync(org, user);
                Assert.Equal($"{org}-{newest.EventId}", record!.NewestEventId);
                Assert.True(record.NewestApplied, $"{user}: newest {newest.EventId} not marked applied");
                Assert.Equal(newest.Role, record.AppliedRole);
            }
        }, iter: 60, threads: 1);
    }

    /// <summary>
    /// Widens race windows: a random pause of 0–3 ms before each write lets Clerk calls of other workers overtake,
    /// so interleavings where a late PATCH lands after a newer one actually happen (not used to wait for anything).
    /// </summary>
    private sealed class ShakingLedger(IMembershipLedger inner) : IMembershipLedger
    {
        public Task<MembershipRecord?> GetAsync(string o, string u, CancellationToken ct = default) => inner.GetAsync(o, u, ct);

        public async Task<MembershipRecord?> TryWriteAsync(MembershipRecord r, CancellationToken ct = default)
        {
            await Task.Delay(Random.Shared.Next(0, 4), ct);
            return await inner.TryWriteAsync(r, ct);
        }

        public Task<string?> RecordEventAsync(string e, string c, CancellationToken ct = default) => inner.RecordEventAsync(e, c, ct);

        public IAsyncEnumerable<MembershipRecord> ListAsync(string? o = null, CancellationToken ct = default) => inner.ListAsync(o, ct);
    }
}
