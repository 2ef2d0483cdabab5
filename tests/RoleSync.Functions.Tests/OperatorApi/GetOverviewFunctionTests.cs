using Microsoft.Extensions.Logging.Abstractions;
using RoleSync.Clerk;
using RoleSync.Guard;
using RoleSync.History;
using RoleSync.Quarantine;
using RoleSync.Secrets;
using static RoleSync.Functions.Tests.OperatorApi.OperatorApiHttp;

namespace RoleSync.Functions.Tests.OperatorApi;

/// <summary><c>GET /api/overview</c>: the history's windows, quarantine, holds, dead letters and Clerk budget; a failed source leaves only its part out.</summary>
public sealed class GetOverviewFunctionTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 2, 10, 0, 0, TimeSpan.Zero);

    /// <summary>An overview on in-memory sources (each replaceable), a live key, 500 per 10 s over 2 hosts.</summary>
    internal static GetOverviewFunction Overview(TimeProvider time, IMembershipHistory? history = null, IGuardStore? guard = null,
        IDeadLetterQueue? deadLetters = null, IQuarantineStore? quarantine = null, IClerkSecretProvider? secrets = null) => new(
        history ?? new InMemoryMembershipHistory(),
        Circuit(quarantine ?? new InMemoryQuarantineStore(), time),
        new GuardHolds(guard ?? new InMemoryGuardStore(), time),
        new DeadLetterGrouper(deadLetters ?? new FakeDeadLetterQueue(), time),
        new ClerkRateLimiter(Options.Create(new ClerkBudgetOptions { RequestsPer10Seconds = 500 }), Options.Create(new ScaleOutOptions { MaxInstances = 2 }), time),
        secrets ?? new ConfiguredClerkSecretProvider(new ClerkSecret("sk_live_overview_test_key")),
        Options.Create(new ScaleOutOptions { MaxInstances = 2 }),
        time,
        NullLogger<GetOverviewFunction>.Instance);

    private static async Task<JsonNode> CallAsync(GetOverviewFunction function)
    {
        var request = Request("GET");
        var (status, type, json) = await Execute(request, await function.RunAsync(request, default));
        Assert.Equal(200, status);
        Assert.StartsWith("application/json", type);
        return json;
    }

    private static MembershipHistoryEntry Entry(string eventId, HistoryOutcome outcome, DateTimeOffset recordedAt, string? reason = null) =>
        new(OrgId, MemberId, eventId, recordedAt, recordedAt, "org:admin", "workday", null, outcome, reason, null, null, recordedAt, EntryPoint.Queue, null);

    [Fact]
    public async Task The_overview_counts_the_hour_and_the_day_and_shows_quarantine_holds_dead_letters_and_the_budget()
    {
        var time = new FakeTimeProvider(Now);
        var history = new InMemoryMembershipHistory();
        await history.AppendAsync(Entry("evt-1", HistoryOutcome.Applied, Now.AddMinutes(-5)));
        await history.AppendAsync(Entry("evt-2", HistoryOutcome.Rejected, Now.AddMinutes(-20), Reasons.RetriesExhausted));
        await history.AppendAsync(Entry("evt-3", HistoryOutcome.Rejected, Now.AddHours(-2), Reasons.RoleNotFound));
        await history.AppendAsync(Entry("evt-4", HistoryOutcome.Held, Now.AddHours(-3), Reasons.HeldForApproval));
        await history.AppendAsync(Entry("evt-5", HistoryOutcome.Applied, Now.AddDays(-2)));
        var guard = new InMemoryGuardStore();
        for (int i = 1; i <= 3; i++)
        {
            Assert.NotNull(await guard.TryWriteHoldAsync(new GuardHold(OrgId, $"evt-h{i}", i, Now, $"user_h{i}", "org:member", false, "{}")));
        }
        Assert.NotNull(await guard.TryWriteHoldAsync(new GuardHold("org_other", "evt-o1", 1, Now, "user_o1", "org:member", false, "{}")));
        var deadLetters = new FakeDeadLetterQueue();
        deadLetters.Add("{}", "RoleNotFound", messageId: "m1");
        deadLetters.Add("not json", "InvalidMessage", messageId: "m2");

        var json = await CallAsync(Overview(time, history, guard, deadLetters));

        Assert.Equal(Now, json["generatedAt"]!.GetValue<DateTimeOffset>());
        Assert.Equal(RoleSyncInfo.Version, json["version"]!.GetValue<string>());
        var hour = json["windows"]![0]!;
        var day = json["windows"]![1]!;
        Assert.Equal(("last-hour", Now.AddHours(-1)), (hour["name"]!.GetValue<string>(), hour["since"]!.GetValue<DateTimeOffset>()));
        Assert.Equal(("last-day", Now.AddDays(-1)), (day["name"]!.GetValue<string>(), day["since"]!.GetValue<DateTimeOffset>()));
        Assert.Equal((2, 1, 0, 1, 1, 0), (hour["processed"]!.GetValue<int>(), hour["applied"]!.GetValue<int>(), hour["rejected"]!.GetValue<int>(),
            hour["retriesExhausted"]!.GetValue<int>(), hour["deadLettered"]!.GetValue<int>(), hour["held"]!.GetValue<int>()));
        Assert.Equal((3, 1, 1, 1, 2, 1), (day["processed"]!.GetValue<int>(), day["applied"]!.GetValue<int>(), day["rejected"]!.GetValue<int>(),
            day["retriesExhausted"]!.GetValue<int>(), day["deadLettered"]!.GetValue<int>(), day["held"]!.GetValue<int>()));
        Assert.Equal((4, false), (json["historyScanned"]!.GetValue<int>(), json["historyTruncated"]!.GetValue<bool>()));
        Assert.Equal((2, 4), (json["holds"]!["organizations"]!.GetValue<int>(), json["holds"]!["changes"]!.GetValue<int>()));
        Assert.Equal((2, false), (json["deadLetters"]!["count"]!.GetValue<int>(), json["deadLetters"]!["truncated"]!.GetValue<bool>()));
        var budget = json["clerkBudget"]!;
        Assert.Equal((500, 2, 250, 250.0), (budget["requestsPer10Seconds"]!.GetValue<int>(), budget["maxInstances"]!.GetValue<int>(),
            budget["perHostPer10Seconds"]!.GetValue<int>(), budget["currentPerHostPer10Seconds"]!.GetValue<double>()));
        Assert.Empty(json["errors"]!.AsArray());
    }

    [Fact]
    public async Task The_quarantine_part_is_the_one_of_GET_status_and_a_test_key_has_the_test_budget()
    {
        var time = new FakeTimeProvider(Now);
        var quarantine = new InMemoryQuarantineStore();
        await Circuit(quarantine, time).OpenAsync(QuarantineTriggers.ClerkUnauthorized, "Clerk rejected the key", OrgId);
        var statusRequest = Request("GET");
        var (_, _, status) = await Execute(statusRequest, await new GetStatusFunction(Circuit(quarantine, time), time).RunAsync(statusRequest, default));

        var json = await CallAsync(Overview(time, quarantine: quarantine, secrets: new ConfiguredClerkSecretProvider(new ClerkSecret(SecretKey))));

        Assert.True(json["quarantine"]!["active"]!.GetValue<bool>());
        Assert.Equal(QuarantineTriggers.ClerkUnauthorized, json["quarantine"]!["trigger"]!.GetValue<string>());
        Assert.Equal(status["quarantine"]!.ToJsonString(), json["quarantine"]!.ToJsonString());
        Assert.Equal((100, 50), (json["clerkBudget"]!["requestsPer10Seconds"]!.GetValue<int>(), json["clerkBudget"]!["perHostPer10Seconds"]!.GetValue<int>()));
    }

    [Fact]
    public async Task A_failed_source_leaves_its_part_null_and_says_so_without_the_exception_s_text_the_rest_is_answered()
    {
        var time = new FakeTimeProvider(Now);
        var history = new Mock<IMembershipHistory>();
        history.Setup(h => h.TallySinceAsync(It.IsAny<DateTimeOffset>(), It.IsAny<int>(), It.IsAny<CancellationToken>()))
            .ThrowsAsync(new Azure.RequestFailedException(503, $"table down, key {SecretKey}"));
        var secrets = new Mock<IClerkSecretProvider>();
        secrets.Setup(s => s.GetAsync(It.IsAny<CancellationToken>())).ThrowsAsync(new ClerkSecretUnavailableException($"vault down {SecretKey}"));

        var json = await CallAsync(Overview(time, history.Object, secrets: secrets.Object));

        Assert.Null(json["windows"]);
        Assert.Null(json["historyScanned"]);
        Assert.Null(json["clerkBudget"]);
        Assert.Equal(["history: unavailable (RequestFailedException)", "clerkBudget: unavailable (ClerkSecretUnavailableException)"],
            json["errors"]!.AsArray().Select(e => e!.GetValue<string>()));
        Assert.False(json["quarantine"]!["active"]!.GetValue<bool>());
        Assert.Equal(0, json["deadLetters"]!["count"]!.GetValue<int>());
        Assert.Equal(0, json["holds"]!["organizations"]!.GetValue<int>());
        Assert.DoesNotContain(SecretKey, json.ToJsonString());
    }

    [Fact]
    public async Task The_history_scan_is_bounded_says_when_it_hit_the_bound_and_reads_the_last_hour_on_its_own()
    {
        var time = new FakeTimeProvider(Now);
        var history = new Mock<IMembershipHistory>();
        // A busy day cut at the limit keeps its oldest hours; the last hour, read separately, is complete.
        history.Setup(h => h.TallySinceAsync(Now.AddDays(-1), GetOverviewFunction.HistoryScanLimit, It.IsAny<CancellationToken>()))
            .ReturnsAsync(new HistoryTally([HistoryMark.Of(Now.AddHours(-20), HistoryOutcome.Applied, null)], Truncated: true));
        history.Setup(h => h.TallySinceAsync(Now.AddHours(-1), GetOverviewFunction.HistoryScanLimit, It.IsAny<CancellationToken>()))
            .ReturnsAsync(new HistoryTally([.. Enumerable.Range(1, 3).Select(i => HistoryMark.Of(Now.AddMinutes(-i), HistoryOutcome.Applied, null))], Truncated: false));

        var json = await CallAsync(Overview(time, history.Object));

        Assert.Equal((1, true), (json["historyScanned"]!.GetValue<int>(), json["historyTruncated"]!.GetValue<bool>()));
        Assert.Equal(("last-hour", 3), (json["windows"]![0]!["name"]!.GetValue<string>(), json["windows"]![0]!["applied"]!.GetValue<int>()));
        Assert.Equal(("last-day", 1), (json["windows"]![1]!["name"]!.GetValue<string>(), json["windows"]![1]!["applied"]!.GetValue<int>()));
    }

    private static QuarantineCircuit Circuit(IQuarantineStore store, TimeProvider time) => new(store, new ClerkCallWindow(time),
        Options.Create(new QuarantineOptions()), time,
        new ServiceCollection().AddMetrics().BuildServiceProvider().GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>(),
        NullLogger<QuarantineCircuit>.Instance);
}
