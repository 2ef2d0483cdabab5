namespace RoleSync.Core.Tests.Contract;

/// <summary><see cref="Rfc3339"/> on its own; <see cref="RoleChangeParserTests"/> shows the same rules through a message.</summary>
public sealed class Rfc3339Tests
{
    [Theory]
    [MemberData(nameof(RoleChangeParserTests.ValidTimestamps), MemberType = typeof(RoleChangeParserTests))]
    public void TryParse_keeps_instant_and_offset(string text, DateTimeOffset expected)
    {
        Assert.True(Rfc3339.TryParse(text, out var value));

        Assert.Equal((expected.UtcTicks, expected.Offset), (value.UtcTicks, value.Offset));
    }

    [Theory]
    [MemberData(nameof(RoleChangeParserTests.MalformedTimestamps), MemberType = typeof(RoleChangeParserTests))]
    public void TryParse_rejects_malformed_text_and_leaves_the_default(string text)
    {
        Assert.False(Rfc3339.TryParse(text, out var value));

        Assert.Equal(default, value);
    }

    [Fact]
    public void TryParse_reads_every_legal_spelling_of_an_instant()
    {
        ContractGen.Timestamp.Sample(t =>
        {
            Assert.True(Rfc3339.TryParse(t.Text, out var value), t.Text);
            Assert.Equal((t.Value.UtcTicks, t.Value.Offset), (value.UtcTicks, value.Offset));
        }, iter: 5_000, print: t => t.Text);
    }

    [Fact]
    public void TryParse_refuses_null()
    {
        Assert.Throws<ArgumentNullException>(() => Rfc3339.TryParse(null!, out _));
    }

    [Fact]
    public void FormatUtcSeconds_writes_utc_to_the_second()
    {
        var at = new DateTimeOffset(2026, 11, 28, 13, 0, 59, TimeSpan.FromHours(1)).AddTicks(9_999_999);

        Assert.Equal("2026-11-28T12:00:59Z", Rfc3339.FormatUtcSeconds(at));
    }

    [Fact]
    public void FormatUtcSeconds_output_parses_back_to_the_same_second()
    {
        ContractGen.Timestamp.Sample(t =>
        {
            Assert.True(Rfc3339.TryParse(Rfc3339.FormatUtcSeconds(t.Value), out var back));
            Assert.Equal(t.Value.UtcTicks / TimeSpan.TicksPerSecond, back.UtcTicks / TimeSpan.TicksPerSecond);
            Assert.Equal(TimeSpan.Zero, back.Offset);
        }, iter: 1_000, print: t => t.Text);
    }
}
