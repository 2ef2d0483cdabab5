using static RoleSync.Testing.Messages;
using static RoleSync.Testing.TestSigning;

namespace RoleSync.Core.Tests.Messaging;

/// <summary>
/// The entry point and principal of a message (<see cref="MessageProperties.EntryPoint"/>, <see cref="MessageProperties.Principal"/>):
/// trusted only when signed, kept on retry and replay copies, set on an operator's submission.
/// </summary>
public sealed class EntryPointLineageTests
{
    private static readonly RoleChange Change = RoleChangeParser.Parse(Bytes(Plain("evt-1", BaseTime, reason: "promotion")).Span, BaseTime).Change!;

    [Fact]
    public void A_submission_is_one_message_named_by_its_event_id_with_a_signed_entry_point_and_principal()
    {
        var message = RoleChangeMessages.Submission(Change, EntryPoint.Operator, "alice@contoso.com", Signature);
        var lineage = MessageLineage.Read(Delivered(message, sequenceNumber: 11), Signature);

        Assert.Equal(("evt-1", "application/json"), (message.MessageId, message.ContentType));
        Assert.Equal("operator", message.ApplicationProperties[MessageProperties.EntryPoint]);
        Assert.Equal((true, EntryPoint.Operator, "alice@contoso.com", 1, "evt-1"), (lineage.Verified, lineage.EntryPoint, lineage.Principal, lineage.Attempt, lineage.OriginalMessageId));
        Assert.Equal(Change, RoleChangeParser.Parse(message.Body.ToMemory().Span, BaseTime).Change); // the body is the same change
    }

    [Theory]
    [InlineData(RoleSyncHarness.MemberId, null, null, null, "remove")]
    [InlineData(null, null, "ann@contoso.com", "org:admin", null)]
    [InlineData(null, "hr-42", null, null, "remove")]
    public void A_submitted_contract_1_1_change_is_queued_as_the_same_change(string? userId, string? externalId, string? emailAddress, string? role, string? action)
    {
        var body = Message("evt-11", BaseTime, userId: userId, externalId: externalId, emailAddress: emailAddress, role: role, action: action);
        var change = RoleChangeParser.Parse(Bytes(body).Span, BaseTime).Change!;

        var queued = RoleChangeParser.Parse(RoleChangeMessages.Submission(change, EntryPoint.Operator, "alice@contoso.com", Signature).Body.ToMemory().Span, BaseTime);

        Assert.Empty(queued.Errors);
        Assert.Equal(change, queued.Change);
        Assert.Equal((change.Action, change.ExternalId, change.EmailAddress), (queued.Change!.Action, queued.Change.ExternalId, queued.Change.EmailAddress));
    }

    [Fact]
    public void An_unsigned_or_forged_entry_point_is_a_producers_message_from_the_queue_with_no_principal()
    {
        var properties = new Dictionary<string, object> { [MessageProperties.EntryPoint] = "operator", [MessageProperties.Principal] = "mallory" };
        var forged = new Dictionary<string, object>(properties) { [MessageProperties.Signature] = OtherSignature.Compute(MessageSignatureScope.Copy, "evt-1", default, BinaryData.FromString(Plain("evt-1")), properties) };

        foreach (var props in new[] { properties, forged })
        {
            var lineage = MessageLineage.Read(Received("evt-1", props), Signature);
            Assert.Equal((false, EntryPoint.Queue, (string?)null), (lineage.Verified, lineage.EntryPoint, lineage.Principal));
        }
    }

    [Theory]
    [InlineData("edit-and-retry", EntryPoint.EditAndRetry)]
    [InlineData("cli", EntryPoint.Cli)]
    [InlineData("something-else", EntryPoint.Queue)]
    public void A_signed_entry_point_is_read_by_its_kebab_case_name(string name, EntryPoint expected)
    {
        var properties = Signed("evt-1", BinaryData.FromString(Plain("evt-1")), new Dictionary<string, object> { [MessageProperties.EntryPoint] = name, [MessageProperties.Principal] = "bob" });

        Assert.Equal(expected, MessageLineage.Read(Received("evt-1", properties), Signature).EntryPoint);
    }

    [Fact]
    public void Retry_and_replay_copies_keep_the_entry_point_and_principal()
    {
        var submitted = Delivered(RoleChangeMessages.Submission(Change, EntryPoint.Operator, "alice@contoso.com", Signature), sequenceNumber: 5);
        var lineage = MessageLineage.Read(submitted, Signature);

        var retry = MessageCopies.RetryCopy(submitted, lineage, new SettlementDecision.ScheduleRetry(2, TimeSpan.FromSeconds(30), BaseTime.AddSeconds(30), Reasons.ClerkUnavailable), Signature);
        var retried = MessageLineage.Read(Delivered(retry, sequenceNumber: 6), Signature);
        var replay = MessageCopies.ReplayCopy(Delivered(retry, sequenceNumber: 6), retried, Signature);
        var replayed = MessageLineage.Read(Delivered(replay, sequenceNumber: 9), Signature);

        Assert.Equal((2, EntryPoint.Operator, "alice@contoso.com"), (retried.Attempt, retried.EntryPoint, retried.Principal));
        Assert.Equal((1, EntryPoint.Operator, "alice@contoso.com"), (replayed.Attempt, replayed.EntryPoint, replayed.Principal));
    }

    [Fact]
    public void A_producers_message_gets_no_entry_point_property_on_its_copies()
    {
        var produced = Received("evt-1", []);
        var lineage = MessageLineage.Read(produced, Signature);

        var retry = MessageCopies.RetryCopy(produced, lineage, new SettlementDecision.ScheduleRetry(2, TimeSpan.FromSeconds(30), BaseTime.AddSeconds(30), Reasons.ClerkUnavailable), Signature);

        Assert.False(retry.ApplicationProperties.ContainsKey(MessageProperties.EntryPoint));
        Assert.Equal(EntryPoint.Queue, MessageLineage.Read(Delivered(retry, sequenceNumber: 8), Signature).EntryPoint);
    }

    private static ServiceBusReceivedMessage Received(string messageId, Dictionary<string, object> properties) =>
        ServiceBusModelFactory.ServiceBusReceivedMessage(body: BinaryData.FromString(Plain(messageId)), messageId: messageId, properties: properties, sequenceNumber: 3, deliveryCount: 1);
}
