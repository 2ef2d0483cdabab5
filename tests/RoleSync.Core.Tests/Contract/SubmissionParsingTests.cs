using static RoleSync.Testing.Messages;

namespace RoleSync.Core.Tests.Contract;

/// <summary>
/// <see cref="RoleChangeParser.ParseSubmission"/>: an operator may omit eventId and occurredAt (generated, now); the
/// queue contract (<see cref="RoleChangeParser.Parse(ReadOnlySpan{byte}, DateTimeOffset)"/>) still requires them.
/// </summary>
public sealed class SubmissionParsingTests
{
    private const string Minimal = $$"""{"organizationId":"{{RoleSyncHarness.OrgId}}","userId":"{{RoleSyncHarness.MemberId}}","role":"org:admin"}""";

    [Fact]
    public void Omitted_event_id_and_occurred_at_are_the_generated_id_and_now()
    {
        var change = RoleChangeParser.ParseSubmission(Encoding.UTF8.GetBytes(Minimal), BaseTime, "op-1").Change;

        Assert.NotNull(change);
        Assert.Equal(("op-1", BaseTime), (change.EventId, change.OccurredAt));
    }

    [Fact]
    public void Omitted_id_and_time_in_the_cloud_event_form_are_the_generated_id_and_now()
    {
        var body = $$$"""{"specversion":"1.0","type":"rolesync.role-change","source":"hr","data":{"organizationId":"{{{RoleSyncHarness.OrgId}}}","userId":"{{{RoleSyncHarness.MemberId}}}","role":"org:admin"}}""";

        var change = RoleChangeParser.ParseSubmission(Encoding.UTF8.GetBytes(body), BaseTime, "op-2").Change;

        Assert.Equal(("op-2", BaseTime, "hr"), (change!.EventId, change.OccurredAt, change.Source));
    }

    [Theory]
    [InlineData("evt-42~edit1")]
    [InlineData("evt-42~s7~r2")]
    [InlineData("evt-42~replay9")]
    public void A_submitted_event_id_cannot_take_the_name_of_one_of_roleSyncs_copies(string eventId)
    {
        var parse = RoleChangeParser.ParseSubmission(Bytes(Plain(eventId, BaseTime)).Span, BaseTime, "op-9");

        Assert.Null(parse.Change);
        Assert.Contains("eventId: must not contain '~' (RoleSync names its retry, replay and edit copies with it)", parse.Errors);
        Assert.NotNull(RoleChangeParser.Parse(Bytes(Plain(eventId, BaseTime)).Span, BaseTime).Change); // the queue contract is unchanged
    }

    [Fact]
    public void Given_values_are_kept_and_checked_as_on_the_queue()
    {
        var given = RoleChangeParser.ParseSubmission(Bytes(Plain("evt-7", BaseTime.AddHours(-1))).Span, BaseTime, "op-3").Change;
        var nullId = RoleChangeParser.ParseSubmission(Encoding.UTF8.GetBytes(Minimal.Replace("{", "{\"eventId\":null,", StringComparison.Ordinal)), BaseTime, "op-4");
        var future = RoleChangeParser.ParseSubmission(Bytes(Plain("evt-8", BaseTime.AddHours(1))).Span, BaseTime, "op-5");

        Assert.Equal(("evt-7", BaseTime.AddHours(-1)), (given!.EventId, given.OccurredAt));
        Assert.Contains("eventId: must be a string, not null", nullId.Errors);
        Assert.Contains(future.Errors, e => e.StartsWith("occurredAt:", StringComparison.Ordinal));
    }

    [Fact]
    public void The_queue_contract_still_requires_both()
    {
        var result = RoleChangeParser.Parse(Encoding.UTF8.GetBytes(Minimal), BaseTime);

        Assert.Contains("eventId: is required", result.Errors);
        Assert.Contains("occurredAt: is required", result.Errors);
    }
}
