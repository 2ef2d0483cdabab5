using Microsoft.Extensions.Time.Testing;
using RoleSync.Processing;

namespace RoleSync.Cli.Tests;

public sealed class RunTallyTests
{
    [Fact]
    public void Summary_lists_the_outcomes_that_occurred()
    {
        var tally = new RunTally();
        Assert.Equal("0 messages", tally.Describe());
        Assert.True(tally.AllSettledWell);

        tally.Add(Outcome.Applied);
        tally.Add(Outcome.Applied);
        tally.Add(Outcome.Stale);
        tally.Add(Outcome.Transient);

        Assert.Equal("4 messages: 2 applied, 1 stale, 1 failed", tally.Describe());
        Assert.False(tally.AllSettledWell);
    }

    [Theory]
    [InlineData(Outcome.Rejected, false)]
    [InlineData(Outcome.Transient, false)]
    [InlineData(Outcome.WouldApply, true)]
    [InlineData(Outcome.Unchanged, true)]
    [InlineData(Outcome.Duplicate, true)]
    public void Only_rejected_and_failed_messages_fail_the_run(Outcome outcome, bool settledWell)
    {
        var tally = new RunTally();
        tally.Add(Outcome.Applied);
        tally.Add(outcome);

        Assert.Equal(settledWell, tally.AllSettledWell);
    }

    [Fact]
    public async Task Progress_appears_after_one_second_and_is_erased_at_the_end()
    {
        var clock = new FakeTimeProvider();
        var tally = new RunTally();
        tally.Add(Outcome.Applied);
        tally.Add(Outcome.Rejected);
        var stderr = new SignallingWriter("so far");
        using var stop = new CancellationTokenSource();

        var progress = tally.ShowProgressAsync(stderr, clock, stop.Token);
        clock.Advance(TimeSpan.FromSeconds(1));
        await stderr.Signalled.WaitAsync(TimeSpan.FromSeconds(30));
        await stop.CancelAsync();
        await progress.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal("\r2 messages: 1 applied, 1 rejected so far\u001b[K\r\u001b[K", stderr.ToString());
    }
}
