using static RoleSync.Testing.Messages;
using static RoleSync.Testing.RoleSyncHarness;

namespace RoleSync.Core.Tests.Replay;

public sealed class DeadLetterGrouperTests
{
    private readonly FakeDeadLetterQueue _queue = new();

    private DeadLetterGrouper Grouper => new(_queue, TimeProvider.System);

    [Fact]
    public async Task Counts_by_reason_and_by_organization_within_a_reason_largest_first()
    {
        var a1 = _queue.Add(Plain("evt-1", userId: "user_a1"), "MembershipNotFound");
        _queue.Add(Plain("evt-2"), "RoleNotFound");
        var other = _queue.Add(Plain("evt-3", organizationId: "org_other"), "MembershipNotFound");
        var a4 = _queue.Add(Plain("evt-4", userId: "user_a4"), "MembershipNotFound");
        var invalid = _queue.Add("not json", "InvalidMessage");

        var report = await Grouper.GroupAsync();

        Assert.Equal((5, false), (report.Scanned, report.Truncated));
        Assert.Equal(["MembershipNotFound", "InvalidMessage", "RoleNotFound"], report.Groups.Select(g => g.Reason));
        var missing = report.Groups[0];
        Assert.Equal((3, a4), (missing.Count, missing.MaxSequenceNumber));
        Assert.Equal(FakeDeadLetterQueue.EnqueuedAt.AddSeconds(a1), missing.OldestEnqueuedTime);
        Assert.Equal(FakeDeadLetterQueue.EnqueuedAt.AddSeconds(a4), missing.NewestEnqueuedTime);
        Assert.Equal([(OrgId, 2, a4), ("org_other", 1, other)], missing.Organizations.Select(o => (o.OrganizationId, o.Count, o.MaxSequenceNumber)));
        Assert.Equal(FakeDeadLetterQueue.EnqueuedAt.AddSeconds(a1), missing.Organizations[0].OldestEnqueuedTime);
        var unreadable = Assert.Single(report.Groups[1].Organizations);
        Assert.Equal(((string?)null, 1, invalid), (unreadable.OrganizationId, unreadable.Count, unreadable.MaxSequenceNumber));
        Assert.Empty(_queue.Locked); // peeks only
    }

    [Fact]
    public async Task An_empty_queue_has_no_groups()
    {
        var report = await Grouper.GroupAsync();

        Assert.Equal((0, 0, false), (report.Groups.Count, report.Scanned, report.Truncated));
    }

    [Fact]
    public async Task Reads_at_most_MaxScanned_dead_letters_and_says_the_counts_are_truncated()
    {
        for (int i = 0; i < DeadLetterReplayer.MaxScanned + 1; i++)
        {
            _queue.Add("{}", "InvalidMessage");
        }

        var report = await Grouper.GroupAsync();

        Assert.Equal((DeadLetterReplayer.MaxScanned, true), (report.Scanned, report.Truncated));
        Assert.Equal(DeadLetterReplayer.MaxScanned, Assert.Single(report.Groups).Count);
    }
}
