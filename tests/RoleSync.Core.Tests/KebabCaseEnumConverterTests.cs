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
    [InlineData(ReplayStatus.RetryLater, "retry-later")]
    [InlineData(ReplayStatus.AlreadyReplayed, "already-replayed")]
    public void Replay_statuses_have_their_wire_names(ReplayStatus status, string name) => AssertWireName(status, name);

    [Theory]
    [InlineData(ReplayMode.Transaction, "transaction")]
    [InlineData(ReplayMode.SendThenComplete, "send-then-complete")]
    public void Replay_modes_have_their_wire_names(ReplayMode mode, string name) => AssertWireName(mode, name);

    [Theory]
    [InlineData(EditStatus.Retried, "retried")]
    [InlineData(EditStatus.Invalid, "invalid")]
    [InlineData(EditStatus.NotFound, "not-found")]
    [InlineData(EditStatus.Conflict, "conflict")]
    [InlineData(EditStatus.RetryLater, "retry-later")]
    [InlineData(EditStatus.Failed, "failed")]
    [InlineData(EditStatus.Unavailable, "unavailable")]
    public void Edit_statuses_have_their_wire_names(EditStatus status, string name) => AssertWireName(status, name);

    [Fact]
    public void Every_member_is_covered()
    {
        Assert.Equal(10, Enum.GetValues<Outcome>().Length);
        Assert.Equal(6, Enum.GetValues<ReplayStatus>().Length);
        Assert.Equal(7, Enum.GetValues<EditStatus>().Length);
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
