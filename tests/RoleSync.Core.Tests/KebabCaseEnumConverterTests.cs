namespace RoleSync.Core.Tests;

/// <summary>The wire names of RoleSync's enums (operator API answers, CLI lines, audit records): kebab-case, with one named exception.</summary>
public sealed class KebabCaseEnumConverterTests
{
    [Theory]
    [InlineData(Outcome.Applied, "applied")]
    [InlineData(Outcome.Stale, "stale")]
    [InlineData(Outcome.Duplicate, "duplicate")]
    [InlineData(Outcome.Rejected, "rejected")]
    [InlineData(Outcome.Transient, "failed")]
    [InlineData(Outcome.WouldApply, "would-apply")]
    [InlineData(Outcome.Unchanged, "unchanged")]
    [InlineData(Outcome.WouldCreate, "would-create")]
    [InlineData(Outcome.WouldRemove, "would-remove")]
    [InlineData(Outcome.NotFound, "not-found")]
    public void Outcomes_have_their_wire_names(Outcome outcome, string name) => AssertWireName(outcome, name);

    [Theory]
    [InlineData(ReplayStatus.Replayed, "replayed")]
    [InlineData(ReplayStatus.WouldReplay, "would-replay")]
    [InlineData(ReplayStatus.Failed, "failed")]
    [InlineData(ReplayStatus.NotFound, "not-found")]
    public void Replay_statuses_have_their_wire_names(ReplayStatus status, string name) => AssertWireName(status, name);

    [Theory]
    [InlineData(ReplayMode.Transaction, "transaction")]
    [InlineData(ReplayMode.SendThenComplete, "send-then-complete")]
    public void Replay_modes_have_their_wire_names(ReplayMode mode, string name) => AssertWireName(mode, name);

    [Fact]
    public void Every_member_is_covered()
    {
        Assert.Equal(10, Enum.GetValues<Outcome>().Length);
        Assert.Equal(4, Enum.GetValues<ReplayStatus>().Length);
        Assert.Equal(2, Enum.GetValues<ReplayMode>().Length);
    }

    private static void AssertWireName<TEnum>(TEnum value, string name)
        where TEnum : struct, Enum
    {
        Assert.Equal($"\"{name}\"", JsonSerializer.Serialize(value));
        Assert.Equal(value, JsonSerializer.Deserialize<TEnum>($"\"{name}\""));
        Assert.Equal(name, KebabCaseEnumConverter<TEnum>.NameOf(value));
    }
}
