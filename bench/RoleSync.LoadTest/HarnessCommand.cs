using System.CommandLine;
using System.CommandLine.Parsing;

namespace RoleSync.LoadTest;

/// <summary>The harness's command line (System.CommandLine). Every count and duration is bounded.</summary>
internal static class HarnessCommand
{
    private const string Summary = """
        RoleSync load harness: drives the processing pipeline against the Clerk sandbox on 127.0.0.1 and reports,
        side by side, a raw HttpClient ceiling, RoleSync (in-memory and Azurite ledger) and a naive baseline, then a
        run against Clerk's production rate limit. Each variant runs in its own child process.
        """;

    /// <summary>Runs the orchestrator (or, with the hidden <c>--child</c>, one variant); exit code 2 for a bad command line.</summary>
    public static async Task<int> RunAsync(string[] args)
    {
        var defaults = new HarnessOptions();
        var messages = Count("--messages", "N", $"messages per throughput variant (default {defaults.Messages}, at most 1000000)", 1, 1_000_000);
        var concurrency = Count("--concurrency", "C", $"concurrent messages (default {defaults.Concurrency}, at most 1024)", 1, 1024);
        var memberships = Count("--memberships", "M", $"distinct memberships in the sandbox (default {defaults.Memberships})", 1, 1_000_000);
        var warmup = Count("--warmup", "W", $"warm-up memberships: one warm-up round is W messages (default {defaults.Warmup})", 0, 100_000);
        var warmupSeconds = Count("--warmup-seconds", "S", $"warm-up rounds repeat until S seconds have passed (default {defaults.WarmupSeconds})", 0, 600);
        var repeat = Count("--repeat", "R", $"run the throughput variants R times, interleaved (default {defaults.Repeat}, at most 10)", 1, 10);
        var variants = new Option<IReadOnlyList<VariantKind>>("--variants")
        {
            HelpName = "LIST",
            Description = "comma-separated subset of raw,memory,azurite,naive (default all), or none",
            Arity = ArgumentArity.ExactlyOne,
            CustomParser = ParseVariants,
        };
        var limiterBudget = Count("--limiter-budget", "N",
            $"RoleSync's limiter budget per 10 s in the throughput runs (default {defaults.LimiterBudget}, so it never binds); up to 100000 it is set as " +
            "Clerk:RequestsPer10Seconds, above that (beyond what ClerkOptions accepts) a ClerkRateLimiter with that budget is registered", 1, 1_000_000_000);
        var maxSeconds = Count("--max-seconds", "S", $"time limit of each variant's measured run (default {defaults.MaxSeconds}, at most 3600)", 1, 3600);
        var rateLimitedMessages = Count("--rate-limited-messages", "N", $"messages of the rate-limited run (default {defaults.RateLimitedMessages}, about 67 s; 0 skips it)", 0, 100_000);
        var rateLimitedSecretCache = Count("--rate-limited-secret-cache", "S", $"Clerk:SecretCacheDuration in the rate-limited run, seconds (default {defaults.RateLimitedSecretCacheSeconds})", 1, 86_400);
        var noAzurite = new Option<bool>("--no-azurite") { Description = "skip the Azurite ledger (the rate-limited run then uses the in-memory one)" };
        var markdown = new Option<string>("--markdown") { HelpName = "PATH", Description = "also write the report to PATH" };
        markdown.Validators.Add(result =>
        {
            if (result.Tokens is [{ Value: "" }])
            {
                result.AddError("--markdown needs a path.");
            }
        });
        var scaleOut = new Option<IReadOnlyList<int>>("--scale-out")
        {
            HelpName = "LIST",
            Description = "issue 13: scale-out runs with K host processes each, e.g. 1,2,4,8 (replaces the runs above)",
            Arity = ArgumentArity.ExactlyOne,
            CustomParser = ParseHostCounts,
        };
        var burstHosts = Count("--burst", "K", "issue 13: a run with K host processes in which the customer app bursts (0 = none)", 0, 64);
        var simulate = new Option<IReadOnlyList<SimulatedFleet>>("--simulate")
        {
            HelpName = "LIST",
            Description = "issue 13: fleets of client stacks in one process, HOSTS:MAXINSTANCES each, e.g. 4:4,40:40,40:1",
            Arity = ArgumentArity.ExactlyOne,
            CustomParser = ParseFleets,
        };
        var budget = Count("--budget", "N", $"scale-out: Clerk:RequestsPer10Seconds, the deployment budget (default {defaults.Budget})", 1, 100_000);
        var backlogWindows = Count("--backlog-windows", "N", $"scale-out: backlog = N × the budget (default {defaults.BacklogWindows})", 1, 1000);
        var burstBacklogWindows = Count("--burst-backlog-windows", "N", $"burst run: backlog = N × the budget (default {defaults.BurstBacklogWindows})", 1, 1000);
        var appRate = Count("--app-rate", "N", $"scale-out: the customer app's GETs per 10 s (default {defaults.AppRate})", 1, 100_000);
        var burstRate = Count("--burst-rate", "N", $"burst run: the app's rate during the burst, per 10 s (default {defaults.BurstRate})", 1, 100_000);
        var burstSeconds = Count("--burst-seconds", "S", $"burst run: the burst's length (default {defaults.BurstSeconds})", 1, 600);
        var burstAfter = Count("--burst-after", "S", $"burst run: the burst starts at the first 10-s window boundary S seconds after go (default {defaults.BurstAfterSeconds})", 0, 3600);
        var hostConcurrency = Count("--host-concurrency", "C", $"scale-out: messages in flight per host, host.json maxConcurrentCalls (default {defaults.HostConcurrency})", 1, 1024);
        var clerkLatency = Count("--clerk-latency", "MS", "scale-out: the sandbox answers every request after MS milliseconds, like Clerk's own latency (default 0)", 0, 10_000);
        var child = new Option<bool>("--child") { Hidden = true, Description = "run one variant: its spec on stdin, its result on stdout (the orchestrator starts this)" };

        var root = new RootCommand(Summary)
        {
            messages, concurrency, memberships, warmup, warmupSeconds, repeat, variants, limiterBudget, maxSeconds,
            rateLimitedMessages, rateLimitedSecretCache, noAzurite, markdown, scaleOut, burstHosts, simulate, budget,
            backlogWindows, burstBacklogWindows, appRate, burstRate, burstSeconds, burstAfter, hostConcurrency, clerkLatency, child,
        };
        root.SetAction((parse, _) =>
        {
            if (parse.GetValue(child))
            {
                return Child.RunAsync();
            }
            bool skipAzurite = parse.GetValue(noAzurite);
            var options = new HarnessOptions
            {
                Messages = parse.GetValue(messages) ?? defaults.Messages,
                Concurrency = parse.GetValue(concurrency) ?? defaults.Concurrency,
                Memberships = parse.GetValue(memberships) ?? defaults.Memberships,
                Warmup = parse.GetValue(warmup) ?? defaults.Warmup,
                WarmupSeconds = parse.GetValue(warmupSeconds) ?? defaults.WarmupSeconds,
                Repeat = parse.GetValue(repeat) ?? defaults.Repeat,
                LimiterBudget = parse.GetValue(limiterBudget) ?? defaults.LimiterBudget,
                MaxSeconds = parse.GetValue(maxSeconds) ?? defaults.MaxSeconds,
                RateLimitedMessages = parse.GetValue(rateLimitedMessages) ?? defaults.RateLimitedMessages,
                RateLimitedSecretCacheSeconds = parse.GetValue(rateLimitedSecretCache) ?? defaults.RateLimitedSecretCacheSeconds,
                Variants = [.. (parse.GetValue(variants) ?? defaults.Variants).Where(v => !skipAzurite || v != VariantKind.RoleSyncAzurite)],
                NoAzurite = skipAzurite,
                MarkdownPath = parse.GetValue(markdown),
                ScaleOut = parse.GetValue(scaleOut) ?? defaults.ScaleOut,
                BurstHosts = parse.GetValue(burstHosts) ?? defaults.BurstHosts,
                Simulate = parse.GetValue(simulate) ?? defaults.Simulate,
                Budget = parse.GetValue(budget) ?? defaults.Budget,
                BacklogWindows = parse.GetValue(backlogWindows) ?? defaults.BacklogWindows,
                BurstBacklogWindows = parse.GetValue(burstBacklogWindows) ?? defaults.BurstBacklogWindows,
                AppRate = parse.GetValue(appRate) ?? defaults.AppRate,
                BurstRate = parse.GetValue(burstRate) ?? defaults.BurstRate,
                BurstSeconds = parse.GetValue(burstSeconds) ?? defaults.BurstSeconds,
                BurstAfterSeconds = parse.GetValue(burstAfter) ?? defaults.BurstAfterSeconds,
                HostConcurrency = parse.GetValue(hostConcurrency) ?? defaults.HostConcurrency,
                ClerkLatencyMilliseconds = parse.GetValue(clerkLatency) ?? defaults.ClerkLatencyMilliseconds,
            };
            var command = "dotnet run -c Release --project bench/RoleSync.LoadTest --" + string.Concat(args.Select(a => " " + a));
            return new Orchestrator(options, command.TrimEnd(' ', '-')).RunAsync();
        });

        var parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            foreach (var error in parsed.Errors)
            {
                await Console.Error.WriteLineAsync(error.Message).ConfigureAwait(false);
            }
            await root.Parse(["--help"]).InvokeAsync(new InvocationConfiguration { Output = Console.Error }).ConfigureAwait(false);
            return 2;
        }
        return await parsed.InvokeAsync().ConfigureAwait(false);
    }

    /// <summary>
    /// A whole-number option (digits only) from <paramref name="min"/> to <paramref name="max"/>; null when absent (the
    /// default is <see cref="HarnessOptions"/>'s, and the description states it, so help shows no second "[default: …]").
    /// </summary>
    private static Option<int?> Count(string name, string helpName, string description, int min, int max) => new(name)
    {
        HelpName = helpName,
        Description = description,
        CustomParser = result =>
        {
            if (result.Tokens is [var token]
                && int.TryParse(token.Value, NumberStyles.None, CultureInfo.InvariantCulture, out int value)
                && value >= min && value <= max)
            {
                return value;
            }
            result.AddError($"{name} needs a whole number from {min} to {max}, not '{string.Join(" ", result.Tokens.Select(t => t.Value))}'.");
            return null;
        },
    };

    private static IReadOnlyList<int> ParseHostCounts(ArgumentResult result)
    {
        var counts = new List<int>();
        foreach (var part in (result.Tokens is [var token] ? token.Value : "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!int.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out int k) || k < 1 || k > 64)
            {
                result.AddError($"--scale-out: '{part}' is not a host count from 1 to 64.");
                return [];
            }
            counts.Add(k);
        }
        if (counts.Count == 0)
        {
            result.AddError("--scale-out needs a comma-separated list of host counts, e.g. 1,2,4,8.");
        }
        return counts;
    }

    private static IReadOnlyList<SimulatedFleet> ParseFleets(ArgumentResult result)
    {
        var fleets = new List<SimulatedFleet>();
        foreach (var part in (result.Tokens is [var token] ? token.Value : "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var pieces = part.Split(':');
            if (pieces.Length != 2
                || !int.TryParse(pieces[0], NumberStyles.None, CultureInfo.InvariantCulture, out int hosts) || hosts < 1 || hosts > 200
                || !int.TryParse(pieces[1], NumberStyles.None, CultureInfo.InvariantCulture, out int maxInstances) || maxInstances < 1 || maxInstances > 1000)
            {
                result.AddError($"--simulate: '{part}' is not HOSTS:MAXINSTANCES (hosts 1-200, MaxInstances 1-1000).");
                return [];
            }
            fleets.Add(new SimulatedFleet(hosts, maxInstances));
        }
        if (fleets.Count == 0)
        {
            result.AddError("--simulate needs a comma-separated list of HOSTS:MAXINSTANCES, e.g. 4:4,40:40,40:1.");
        }
        return fleets;
    }

    private static IReadOnlyList<VariantKind> ParseVariants(ArgumentResult result)
    {
        string text = result.Tokens is [var token] ? token.Value : "";
        if (text == "none")
        {
            return []; // only the rate-limited run
        }
        var variants = new List<VariantKind>();
        foreach (var part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            VariantKind? kind = part switch
            {
                "raw" => VariantKind.Raw,
                "memory" => VariantKind.RoleSyncMemory,
                "azurite" => VariantKind.RoleSyncAzurite,
                "naive" => VariantKind.Naive,
                _ => null,
            };
            if (kind is null)
            {
                result.AddError($"--variants: unknown variant '{part}' (raw, memory, azurite, naive, or none).");
                return [];
            }
            variants.Add(kind.Value);
        }
        if (variants.Count == 0)
        {
            result.AddError("--variants needs a comma-separated list of raw, memory, azurite, naive, or none.");
        }
        return variants;
    }
}
