using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RoleSync.Clerk;
using RoleSync.Guard;
using RoleSync.History;
using RoleSync.Quarantine;
using RoleSync.Replay;
using RoleSync.Secrets;

namespace RoleSync.Functions.OperatorApi;

/// <summary>
/// <c>GET /api/overview</c> (<see cref="OperatorRoles.Reader"/>): the console's counts. The last hour and the last day
/// of the membership history, each read of at most <see cref="HistoryScanLimit"/> entries, the quarantine as
/// <c>GET /api/status</c> shows it, the open holds, the dead-letter count (the groups endpoint's peek) and the Clerk
/// budget. The sources are read at once; one that fails leaves its part null and an entry in <c>errors</c>
/// (the exception's type only; the exception itself is logged).
/// </summary>
public sealed partial class GetOverviewFunction(
    IMembershipHistory history,
    QuarantineCircuit quarantine,
    GuardHolds holds,
    DeadLetterGrouper deadLetters,
    ClerkRateLimiter limiter,
    IClerkSecretProvider secrets,
    IOptions<ScaleOutOptions> scaleOut,
    TimeProvider timeProvider,
    ILogger<GetOverviewFunction> logger)
{
    public const string Name = "GetOverview";

    /// <summary>The most history entries one overview reads (the last day's); more: <c>historyTruncated: true</c>.</summary>
    public const int HistoryScanLimit = 50_000;

    [Function(Name)]
    [RequiresRole(OperatorRoles.Reader)]
    public async Task<Ok<OverviewView>> RunAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/overview")] HttpRequest request,
        CancellationToken cancellationToken)
    {
        var now = timeProvider.GetUtcNow();
        // The day's marks hold the hour's; only a day cut at the limit (oldest hours first) needs the hour read on its
        // own, so that it stays exact even then.
        var tally = Part("history", async () =>
        {
            var day = await history.TallySinceAsync(now.AddDays(-1), HistoryScanLimit, cancellationToken);
            return new Tallies(day.Truncated ? await history.TallySinceAsync(now.AddHours(-1), HistoryScanLimit, cancellationToken) : day, day);
        }, cancellationToken);
        var quarantineView = Part("quarantine", async () => QuarantineView.From(quarantine.Enabled,
            quarantine.Enabled ? await quarantine.ReadAsync(cancellationToken) : QuarantineState.None, now), cancellationToken);
        var holdCount = Part("holds", async () =>
        {
            var summaries = await holds.ListAsync(null, cancellationToken);
            return new HoldCountView(summaries.Count, summaries.Sum(s => s.Count));
        }, cancellationToken);
        var deadLetterCount = Part("deadLetters", async () =>
        {
            var report = await deadLetters.GroupAsync(cancellationToken);
            return new DeadLetterCountView(report.Scanned, report.Truncated);
        }, cancellationToken);
        var budget = Part("clerkBudget", async () =>
        {
            bool live = (await secrets.GetAsync(cancellationToken)).IsLive;
            return new ClerkBudgetView(limiter.DeploymentBudgetFor(live), scaleOut.Value.MaxInstances, limiter.BudgetFor(live), limiter.CurrentRateFor(live));
        }, cancellationToken);

        var (historyTally, historyError) = await tally;
        var (quarantinePart, quarantineError) = await quarantineView;
        var (holdsPart, holdsError) = await holdCount;
        var (deadLettersPart, deadLettersError) = await deadLetterCount;
        var (budgetPart, budgetError) = await budget;
        return TypedResults.Ok(new OverviewView(
            now,
            RoleSyncInfo.Version,
            historyTally is not { } t ? null : [t.Hour.Window("last-hour", now.AddHours(-1)), t.Day.Window("last-day", now.AddDays(-1))],
            historyTally?.Day.Marks.Count,
            historyTally is { } truncated ? truncated.Hour.Truncated || truncated.Day.Truncated : null,
            quarantinePart,
            holdsPart,
            deadLettersPart,
            budgetPart,
            [.. new[] { historyError, quarantineError, holdsError, deadLettersError, budgetError }.OfType<string>()]));
    }

    /// <summary>Reads one part; a failure (not the caller's cancellation) is logged and becomes <c>"{name}: …"</c>.</summary>
    private async Task<(T? Value, string? Error)> Part<T>(string name, Func<Task<T>> read, CancellationToken cancellationToken)
        where T : class
    {
        try
        {
            return (await read(), null);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            LogPartFailed(logger, ex, name);
            return (null, $"{name}: unavailable ({ex.GetType().Name})");
        }
    }

    private sealed record Tallies(HistoryTally Hour, HistoryTally Day);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Overview: {Part} could not be read; the overview answers without it")]
    private static partial void LogPartFailed(ILogger logger, Exception exception, string part);
}
