namespace RoleSync.Cli.Tests;

public sealed class RetryTests
{
    [Fact]
    public async Task A_429_is_retried_after_its_Retry_After()
    {
        await using var clerk = await StartAsync();
        clerk.RateLimitNext(1, TimeSpan.FromSeconds(1));

        var clock = new RecordingTimeProvider();

        var result = await CliRun.RunAsync(["apply", "-", "--clerk-api-url", clerk.BaseUrl.ToString()],
            Messages.Plain("evt-1", userId: MemberId, role: "org:admin"), configure: c => c with { TimeProvider = clock });

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(["applied"], result.Outcomes);
        var patches = clerk.Requests.Where(r => r.Method == "PATCH").ToList();
        Assert.Equal([429, 200], patches.Select(p => p.StatusCode));
        // Without Retry-After the test backoff would be 10 ms.
        Assert.Contains(TimeSpan.FromSeconds(1), clock.TimerDelays);
        Assert.True(patches[1].ReceivedAt - patches[0].ReceivedAt >= TimeSpan.FromSeconds(0.95),
            $"retried after {(patches[1].ReceivedAt - patches[0].ReceivedAt).TotalMilliseconds} ms");
    }

    [Fact]
    public async Task A_burst_of_5xx_and_dropped_connections_is_recovered()
    {
        await using var clerk = await StartAsync();
        clerk.FailNext(3, 503);

        var result = await CliRun.ApplyAsync(clerk,
            [Messages.Plain("evt-1", userId: MemberId, role: "org:admin")], "--max-attempts", "4");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(["applied"], result.Outcomes);
        Assert.Equal(4, clerk.PatchCount);
        Assert.Equal("org:admin", clerk.GetRole(OrgId, MemberId));

        clerk.DropNext(2);
        var again = await CliRun.ApplyAsync(clerk, [Messages.Plain("evt-2", userId: MemberId, role: "org:billing")]);

        Assert.True(again.ExitCode == 0, again.ToString());
        Assert.Equal(["applied"], again.Outcomes);
        Assert.Equal("org:billing", clerk.GetRole(OrgId, MemberId));
    }

    [Fact]
    public async Task Transient_failures_after_max_attempts_are_reported_failed()
    {
        await using var clerk = await StartAsync();
        clerk.FailNext(100, 500);

        var result = await CliRun.ApplyAsync(clerk,
            [Messages.Plain("evt-1", userId: MemberId, role: "org:admin")], "--max-attempts", "3");

        Assert.True(result.ExitCode == 2, result.ToString());
        var line = Assert.Single(result.Lines);
        Assert.Equal("failed", line.GetProperty("outcome").GetString());
        Assert.Equal("RetriesExhausted", line.GetProperty("reason").GetString());
        Assert.StartsWith("ClerkUnavailable after 3 attempts: ", line.GetProperty("detail").GetString());
        Assert.Equal(3, clerk.PatchCount);
        Assert.Equal("org:member", clerk.GetRole(OrgId, MemberId));
        Assert.Contains("1 failed", result.Stderr);
    }

    [Theory]
    [InlineData(1, null, 100)]
    [InlineData(2, null, 200)]
    [InlineData(4, null, 800)]
    [InlineData(30, null, 30_000)]
    [InlineData(1, 1_500, 1_500)]
    [InlineData(3, 0, 0)]
    [InlineData(1, 3_600_000, 300_000)]
    public void Delay_is_Retry_After_or_a_capped_exponential_backoff(int attempt, int? retryAfterMs, int expectedMs)
    {
        var runner = new ApplyRunner((_, _) => throw new InvalidOperationException(), 1, 5, TimeSpan.FromMilliseconds(100), TimeProvider.System);
        var result = new Processing.ProcessingResult(Processing.Outcome.Transient, null, "evt",
            RetryAfter: retryAfterMs is { } ms ? TimeSpan.FromMilliseconds(ms) : null);

        Assert.Equal(TimeSpan.FromMilliseconds(expectedMs), runner.DelayAfter(result, attempt));
    }

    /// <summary>The system clock, remembering the due time of every timer (Task.Delay) created with it.</summary>
    private sealed class RecordingTimeProvider : TimeProvider
    {
        private readonly System.Collections.Concurrent.ConcurrentQueue<TimeSpan> _delays = new();

        public IReadOnlyCollection<TimeSpan> TimerDelays => _delays;

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
        {
            _delays.Enqueue(dueTime);
            return base.CreateTimer(callback, state, dueTime, period);
        }
    }
}
