namespace RoleSync.Functions.Tests.Messaging;

/// <summary>The MessageIds of RoleSync's copies. (Reading the attempt and the original MessageId: Core's MessageLineageTests.)</summary>
public sealed class MessagePropertiesTests
{
    [Theory]
    [InlineData("evt-1", 41L, 2, 1, "evt-1~s41~r2")]
    [InlineData("0f8fad5b-d9cb-469f-a165-70867728950e", 41L, 8, 1, "0f8fad5b-d9cb-469f-a165-70867728950e~s41~r8")]
    [InlineData("evt-1", 41L, 2, 3, "evt-1~s41~r2~d3")]
    public void Retry_message_ids_are_derived_from_the_original_the_lineage_s_sequence_number_and_the_delivery(
        string original, long sequenceNumber, int attempt, int deliveryCount, string expected) =>
        Assert.Equal(expected, MessageProperties.RetryMessageId(original, sequenceNumber, attempt, deliveryCount));

    [Fact]
    public void Retry_message_ids_fit_in_128_characters_and_stay_distinct()
    {
        var exactFit = new string('a', 121);
        var longA = new string('a', 128);
        var longB = new string('a', 127) + "b";

        Assert.Equal(exactFit + "~s1~r2", MessageProperties.RetryMessageId(exactFit, 1, 2, 1));
        var idA = MessageProperties.RetryMessageId(longA, 1, 12, 1);
        var idB = MessageProperties.RetryMessageId(longB, 1, 12, 1);
        Assert.Equal(MessageProperties.MaxMessageIdLength, idA.Length);
        Assert.Equal(MessageProperties.MaxMessageIdLength, idB.Length);
        Assert.EndsWith("~s1~r12", idA);
        Assert.NotEqual(idA, idB);
        Assert.Equal(idA, MessageProperties.RetryMessageId(longA, 1, 12, 1));
        Assert.NotEqual(idA, MessageProperties.RetryMessageId(longA, 2, 12, 1));
    }

    [Fact]
    public void Replay_message_ids_are_the_dead_letter_s_own_message_id_and_sequence_number() =>
        Assert.Equal("evt-1~s41~r8~replay97", MessageProperties.ReplayMessageId("evt-1~s41~r8", 97));
}
