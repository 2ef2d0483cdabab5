using RoleSync.Messaging;

namespace RoleSync.Functions.Tests.Messaging;

public sealed class MessagePropertiesTests
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
    public void The_attempt_is_read_from_its_property_and_is_1_when_absent_or_unreadable(object? value, int expected)
    {
        var properties = new Dictionary<string, object> { ["other"] = 7 };
        if (value is not null)
        {
            properties[MessageProperties.Attempt] = value;
        }

        Assert.Equal(expected, MessageProperties.ReadAttempt(properties));
    }

    [Fact]
    public void The_original_message_id_is_the_retry_of_property_on_a_copy_and_the_message_id_otherwise()
    {
        Assert.Equal("evt-1", MessageProperties.OriginalMessageId("evt-1", new Dictionary<string, object>()));
        Assert.Equal("evt-1", MessageProperties.OriginalMessageId("evt-1~r3", new Dictionary<string, object> { [MessageProperties.RetryOf] = "evt-1" }));
    }

    [Theory]
    [InlineData("evt-1", 2, "evt-1~r2")]
    [InlineData("0f8fad5b-d9cb-469f-a165-70867728950e", 8, "0f8fad5b-d9cb-469f-a165-70867728950e~r8")]
    public void Retry_message_ids_are_derived_from_the_original(string original, int attempt, string expected) =>
        Assert.Equal(expected, MessageProperties.RetryMessageId(original, attempt));

    [Fact]
    public void Retry_message_ids_fit_in_128_characters_and_stay_distinct()
    {
        var exactFit = new string('a', 125);
        var longA = new string('a', 128);
        var longB = new string('a', 127) + "b";

        Assert.Equal(exactFit + "~r2", MessageProperties.RetryMessageId(exactFit, 2));
        var idA = MessageProperties.RetryMessageId(longA, 12);
        var idB = MessageProperties.RetryMessageId(longB, 12);
        Assert.Equal(MessageProperties.MaxMessageIdLength, idA.Length);
        Assert.Equal(MessageProperties.MaxMessageIdLength, idB.Length);
        Assert.EndsWith("~r12", idA);
        Assert.NotEqual(idA, idB);
        Assert.Equal(idA, MessageProperties.RetryMessageId(longA, 12));
    }
}
