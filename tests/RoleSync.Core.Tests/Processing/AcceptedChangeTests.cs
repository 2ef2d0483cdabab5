using RoleSync.Ledger;
using RoleSync.Processing;
using RoleSync.Reconcile;
using static RoleSync.Testing.Messages;
using static RoleSync.Testing.RoleSyncHarness;

namespace RoleSync.Core.Tests.Processing;

/// <summary>
/// the desired role is "the role of the newest change Clerk accepted". A worker whose PATCH Clerk
/// accepted, but whose mark-applied write loses the race to a newer change that Clerk then rejects, forgets its
/// acceptance: it re-reads the record, falls back to the older applied change and PATCHes Clerk back to it. Its own
/// message is reported Applied although neither Clerk nor the ledger ends on it.
/// </summary>
public sealed class AcceptedChangeTests
{
    [Fact]
    public async Task An_accepted_change_whose_write_lost_to_a_newer_rejected_change_stays_the_accepted_one()
    {
        var inner = new InMemoryMembershipLedger();
        RoleChangeProcessor? c = null;
        // Worker B's ledger: its 2nd write is the mark-applied after its PATCH was accepted. Just before it, worker C
        // processes a newer change to a role Clerk rejects (deleted), to the end.
        var bLedger = new BeforeWriteLedger(inner, async n =>
        {
            if (n == 2)
            {
                var rejected = await c!.ProcessAsync(Bytes(Plain("evt-3", BaseTime.AddMinutes(2), role: "org:deleted")));
                Assert.Equal((Outcome.Rejected, Reasons.RoleNotFound), (rejected.Outcome, rejected.Reason));
            }
        });
        await using var h = await StartAsync(ledger: bLedger);
        c = new RoleChangeProcessor(h.ClerkClient, inner, new MembershipConverger(h.ClerkClient, inner, TimeProvider.System), Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.GetRequiredService<RoleSync.History.MembershipHistoryRecorder>(h.Services), TimeProvider.System);
        Assert.Equal(Outcome.Applied, (await c.ProcessAsync(Bytes(Plain("evt-1", BaseTime, role: "org:billing")))).Outcome);

        var b = await h.Processor.ProcessAsync(Bytes(Plain("evt-2", BaseTime.AddMinutes(1), role: "org:admin")));

        var record = (await inner.GetAsync(OrgId, MemberId))!;
        // Clerk accepted evt-2 (org:admin); evt-3 was rejected: the newest accepted change is evt-2.
        Assert.Equal((Outcome.Applied, "org:admin", "evt-2"), (b.Outcome, h.Clerk.GetRole(OrgId, MemberId), record.AppliedEventId));
    }

    [Fact]
    public async Task The_reconciler_then_keeps_the_accepted_role()
    {
        var inner = new InMemoryMembershipLedger();
        RoleChangeProcessor? c = null;
        var bLedger = new BeforeWriteLedger(inner, async n =>
        {
            if (n == 2)
            {
                await c!.ProcessAsync(Bytes(Plain("evt-3", BaseTime.AddMinutes(2), role: "org:deleted")));
            }
        });
        await using var h = await StartAsync(ledger: bLedger);
        c = new RoleChangeProcessor(h.ClerkClient, inner, new MembershipConverger(h.ClerkClient, inner, TimeProvider.System), Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.GetRequiredService<RoleSync.History.MembershipHistoryRecorder>(h.Services), TimeProvider.System);
        await c.ProcessAsync(Bytes(Plain("evt-1", BaseTime, role: "org:billing")));
        bLedger.Reset();
        await h.Processor.ProcessAsync(Bytes(Plain("evt-2", BaseTime.AddMinutes(1), role: "org:admin")));

        var reconciler = new Reconciler(inner, h.ClerkClient, new MembershipConverger(h.ClerkClient, inner, TimeProvider.System), Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.GetRequiredService<RoleSync.History.MembershipHistoryRecorder>(h.Services),
            Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.GetRequiredService<RoleSyncTelemetry>(h.Services),
            Microsoft.Extensions.Logging.Abstractions.NullLogger<Reconciler>.Instance);
        await reconciler.RunAsync(ReconcileMode.Repair, OrgId, _ => Task.CompletedTask);

        Assert.Equal("org:admin", h.Clerk.GetRole(OrgId, MemberId));
    }

    private sealed class BeforeWriteLedger(IMembershipLedger inner, Func<int, Task> before) : IMembershipLedger
    {
        private int _writes;

        public void Reset() => Interlocked.Exchange(ref _writes, 0);

        public Task<MembershipRecord?> GetAsync(string o, string u, CancellationToken ct = default) => inner.GetAsync(o, u, ct);

        public async Task<MembershipRecord?> TryWriteAsync(MembershipRecord r, CancellationToken ct = default)
        {
            await before(Interlocked.Increment(ref _writes));
            return await inner.TryWriteAsync(r, ct);
        }

        public Task<string?> RecordEventAsync(string e, string c, CancellationToken ct = default) => inner.RecordEventAsync(e, c, ct);

        public IAsyncEnumerable<MembershipRecord> ListAsync(string? o = null, CancellationToken ct = default) => inner.ListAsync(o, ct);
    }
}
