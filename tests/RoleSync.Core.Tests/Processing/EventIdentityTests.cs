using Azure.Data.Tables;
using RoleSync.AzureAdapters;
using RoleSync.Processing;
using RoleSync.Testing;
using static RoleSync.Testing.Messages;
using static RoleSync.Testing.RoleSyncHarness;

namespace RoleSync.Core.Tests.Processing;

/// <summary>the same change re-sent in another form is never EventIdReused (Azurite ledger, event identity rows).</summary>
public sealed class EventIdentityTests
{
    private static string PlainAt(string eventId, string occurredAt, string role) =>
        $"{{\"eventId\":\"{eventId}\",\"occurredAt\":\"{occurredAt}\",\"organizationId\":\"{OrgId}\",\"userId\":\"{MemberId}\",\"role\":\"{role}\"}}";

    private static string CloudAt(string id, string time, string role) =>
        $"{{\"specversion\":\"1.0\",\"type\":\"rolesync.role-change\",\"source\":\"hr\",\"id\":\"{id}\",\"time\":\"{time}\",\"datacontenttype\":\"application/json\",\"data\":{{\"organizationId\":\"{OrgId}\",\"userId\":\"{MemberId}\",\"role\":\"{role}\"}}}}";

    [Theory]
    [InlineData("2026-11-28T12:00:00Z", "2026-11-28T14:00:00+02:00", false)]
    [InlineData("2026-11-28T12:00:00Z", "2026-11-28T12:00:00.000000Z", true)]
    [InlineData("2026-11-28T12:00:00.1234567Z", "2026-11-28T07:00:00.123456789-05:00", false)]
    [InlineData("2026-11-28T12:00:00.5Z", "2026-11-28T12:00:00.500Z", true)]
    public async Task Probe_the_same_change_in_another_form_is_a_duplicate_or_stale_never_reused(string first, string again, bool cloudEventSecond)
    {
        var ledger = new TableMembershipLedger(new TableClient(await Azurite.GetConnectionStringAsync(), Azurite.NewTableName("eid")));
        await using var h = await StartAsync(ledger: ledger);
        Assert.Equal(Outcome.Applied, (await h.Processor.ProcessAsync(Bytes(PlainAt("evt-x", first, "org:admin")))).Outcome);

        var dup = await h.Processor.ProcessAsync(Bytes(cloudEventSecond ? CloudAt("evt-x", again, "org:admin") : PlainAt("evt-x", again, "org:admin")));
        Assert.Equal(Outcome.Duplicate, dup.Outcome);

        // Once a newer change is newest, the same re-send goes through the event identity row instead.
        Assert.Equal(Outcome.Applied, (await h.Processor.ProcessAsync(Bytes(Plain("evt-y", BaseTime.AddDays(1), role: "org:member")))).Outcome);
        var stale = await h.Processor.ProcessAsync(Bytes(cloudEventSecond ? CloudAt("evt-x", again, "org:admin") : PlainAt("evt-x", again, "org:admin")));
        Assert.Equal(Outcome.Stale, stale.Outcome);
    }
}
