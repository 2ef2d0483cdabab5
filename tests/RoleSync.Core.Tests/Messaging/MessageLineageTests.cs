using static RoleSync.Testing.TestSigning;

namespace RoleSync.Core.Tests.Messaging;

/// <summary>What RoleSync trusts of a received message (<see cref="MessageLineage.Read"/>): its own signed properties only.</summary>
public sealed class MessageLineageTests
{
    public static TheoryData<object?, int> AttemptValues => new()
    {
        { null, 1 },
        { 3, 3 },
        { 4L, 4 },
        { "5", 5 },
        { "five", 1 },
        { 0, 1 },
        { -2, 1 },
        { long.MaxValue, 1 },
        { 2.0, 1 },
    };

    [Theory]
    [MemberData(nameof(AttemptValues))]
    public void The_attempt_is_read_from_its_signed_property_and_is_1_when_absent_or_unreadable(object? value, int expected)
    {
        var properties = new Dictionary<string, object> { ["other"] = 7 };
        if (value is not null)
        {
            properties[MessageProperties.Attempt] = value;
        }

        Assert.Equal(expected, MessageLineage.Read(Received("evt-1~s1~r3", Signed("evt-1~s1~r3", Body, properties)), Signature).Attempt);
        Assert.Equal(1, MessageLineage.Read(Received("evt-1~s1~r3", properties), Signature).Attempt); // unsigned: a producer's message
    }

    [Fact]
    public void The_original_message_id_is_the_signed_retry_of_on_a_copy_and_the_message_id_otherwise()
    {
        var copy = Received("evt-1~s4~r3", Signed("evt-1~s4~r3", Body, new Dictionary<string, object>
        {
            [MessageProperties.RetryOf] = "evt-1", [MessageProperties.LineageSequenceNumber] = 4L, [MessageProperties.Attempt] = 3,
        }));

        Assert.Equal(new MessageLineage(true, "evt-1", 4, 3, 0), MessageLineage.Read(copy, Signature));
        Assert.Equal(new MessageLineage(false, "evt-1", 9, 1, 0), MessageLineage.Read(Received("evt-1", []), Signature));
    }

    [Fact]
    public void Without_a_key_or_with_a_rotated_one_nothing_verifies()
    {
        var copy = Received("evt-1~s4~r3", Signed("evt-1~s4~r3", Body, new Dictionary<string, object> { [MessageProperties.Attempt] = 3 }));

        Assert.Equal(new MessageLineage(false, "evt-1~s4~r3", 9, 1, 0), MessageLineage.Read(copy, null));
        Assert.False(MessageLineage.Read(copy, OtherSignature).Verified);
    }

    [Fact]
    public void A_dead_letter_s_signature_counts_only_when_reading_dead_letters()
    {
        var deadLetter = Received("evt-1", Signed("evt-1", Body, new Dictionary<string, object> { [MessageProperties.Attempt] = 8 }, MessageSignatureScope.DeadLetter));

        Assert.Equal(8, MessageLineage.Read(deadLetter, Signature, deadLetter: true).Attempt);
        Assert.Equal(1, MessageLineage.Read(deadLetter, Signature).Attempt);
    }

    private static readonly BinaryData Body = BinaryData.FromString("{}");

    private static ServiceBusReceivedMessage Received(string messageId, Dictionary<string, object> properties) =>
        ServiceBusModelFactory.ServiceBusReceivedMessage(body: Body, messageId: messageId, properties: properties, sequenceNumber: 9);
}
