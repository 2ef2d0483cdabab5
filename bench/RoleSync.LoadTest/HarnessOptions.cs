using System.Globalization;

namespace RoleSync.LoadTest;

/// <summary>Command-line options of the orchestrator. Every count and duration is bounded.</summary>
public sealed class HarnessOptions
{
    public int Messages { get; private set; } = 20_000;
    public int Concurrency { get; private set; } = 32;
    public int Memberships { get; private set; } = 20_000;
    public int Warmup { get; private set; } = 1_000;
    public int WarmupSeconds { get; private set; } = 5;
    public int Repeat { get; private set; } = 1;
    public int LimiterBudget { get; private set; } = 10_000_000;
    public int MaxSeconds { get; private set; } = 300;
    public int RateLimitedMessages { get; private set; } = 6_000;
    public int RateLimitedSecretCacheSeconds { get; private set; } = 30;
    public IReadOnlyList<VariantKind> Variants { get; private set; } =
        [VariantKind.Raw, VariantKind.RoleSyncMemory, VariantKind.RoleSyncAzurite, VariantKind.Naive];
    public bool NoAzurite { get; private set; }
    public string? MarkdownPath { get; private set; }

    public const string Usage = """
        RoleSync load harness: drives the processing pipeline against the Clerk sandbox on 127.0.0.1 and reports,
        side by side, a raw HttpClient ceiling, RoleSync (in-memory and Azurite ledger) and a naive baseline, then a
        run against Clerk's production rate limit. Each variant runs in its own child process.

          --messages N                  messages per throughput variant (default 20000, at most 1000000)
          --concurrency C               concurrent messages (default 32, at most 1024)
          --memberships M               distinct memberships in the sandbox (default 20000)
          --warmup W                    warm-up memberships: one warm-up round is W messages (default 1000)
          --warmup-seconds S            warm-up rounds repeat until S seconds have passed (default 5)
          --repeat R                    run the throughput variants R times, interleaved (default 1, at most 10)
          --variants LIST               comma-separated subset of raw,memory,azurite,naive (default all), or none
          --limiter-budget N            RoleSync's limiter budget per 10 s in the throughput runs (default 10000000, so it
                                        never binds); up to 100000 it is set as Clerk:RequestsPer10Seconds, above that
                                        (beyond what ClerkOptions accepts) a ClerkRateLimiter with that budget is registered
          --max-seconds S               time limit of each variant's measured run (default 300, at most 3600)
          --rate-limited-messages N     messages of the rate-limited run (default 6000, about 67 s; 0 skips it)
          --rate-limited-secret-cache S Clerk:SecretCacheDuration in the rate-limited run, seconds (default 30)
          --no-azurite                  skip the Azurite ledger (the rate-limited run then uses the in-memory one)
          --markdown PATH               also write the report to PATH
        """;

    /// <summary>The options, or an error message.</summary>
    public static (HarnessOptions? Options, string? Error) Parse(IReadOnlyList<string> args)
    {
        var options = new HarnessOptions();
        for (int i = 0; i < args.Count; i++)
        {
            string name = args[i];
            string? Value() => i + 1 < args.Count ? args[++i] : null;
            bool Int(string? text, int min, int max, out int value) =>
                int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value) && value >= min && value <= max;

            int n;
            switch (name)
            {
                case "--messages" when Int(Value(), 1, 1_000_000, out n): options.Messages = n; break;
                case "--concurrency" when Int(Value(), 1, 1024, out n): options.Concurrency = n; break;
                case "--memberships" when Int(Value(), 1, 1_000_000, out n): options.Memberships = n; break;
                case "--warmup" when Int(Value(), 0, 100_000, out n): options.Warmup = n; break;
                case "--warmup-seconds" when Int(Value(), 0, 600, out n): options.WarmupSeconds = n; break;
                case "--limiter-budget" when Int(Value(), 1, 1_000_000_000, out n): options.LimiterBudget = n; break;
                case "--repeat" when Int(Value(), 1, 10, out n): options.Repeat = n; break;
                case "--max-seconds" when Int(Value(), 1, 3600, out n): options.MaxSeconds = n; break;
                case "--rate-limited-messages" when Int(Value(), 0, 100_000, out n): options.RateLimitedMessages = n; break;
                case "--rate-limited-secret-cache" when Int(Value(), 1, 86_400, out n): options.RateLimitedSecretCacheSeconds = n; break;
                case "--variants" when ParseVariants(Value()) is { } variants: options.Variants = variants; break;
                case "--no-azurite": options.NoAzurite = true; break;
                case "--markdown" when Value() is { Length: > 0 } path: options.MarkdownPath = path; break;
                default: return (null, $"Invalid or out-of-range argument '{name}'.");
            }
        }
        if (options.NoAzurite)
        {
            options.Variants = [.. options.Variants.Where(v => v != VariantKind.RoleSyncAzurite)];
        }
        return (options, null);
    }

    private static List<VariantKind>? ParseVariants(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }
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
                return null;
            }
            variants.Add(kind.Value);
        }
        return variants;
    }
}
