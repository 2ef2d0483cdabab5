using RoleSync.ClerkSandbox;
using RoleSync.Emulators;

namespace RoleSync.LoadTest;

/// <summary>
/// Starts the Clerk sandbox, the Key Vault fake and Azurite (all on 127.0.0.1, in or under this process), runs each
/// variant in a child process, and writes the report.
/// </summary>
internal sealed partial class Orchestrator(HarnessOptions options, string commandLine)
{
    public const string TestKey = "sk_test_loadtest_fake_key";
    public const string LiveKey = "sk_live_loadtest_fake_key";
    public const string TestSecretName = "clerk-secret-key";
    public const string LiveSecretName = "clerk-live-secret-key";

    /// <summary>Clerk's production limit per instance, enforced by the sandbox in the rate-limited run.</summary>
    public const int ClerkProductionLimit = 1000;

    /// <summary>Clerk's PATCH limit per membership (per 10 s), enforced in the rate-limited run.</summary>
    public const int ClerkMembershipLimit = 10;

    private static readonly ClerkIdentity TestIdentity = new(TestKey, TestSecretName);
    private static readonly ClerkIdentity LiveIdentity = new(LiveKey, LiveSecretName);

    private readonly string _runId = DateTimeOffset.UtcNow.ToString("HHmmss", CultureInfo.InvariantCulture);

    public async Task<int> RunAsync()
    {
        var report = new StringBuilder();
        void Emit(string text = "")
        {
            Console.WriteLine(text);
            report.AppendLine(text);
        }

        Emit($"Machine: {MachineInfo.Describe()}");
        Emit($"Load average at start (1/5/15 min): {MachineInfo.LoadAverage()}");
        Emit($"Command: `{commandLine}`");
        Emit();
        if (options.ScaleOutMode)
        {
            return await RunScaleOutModeAsync(report, Emit).ConfigureAwait(false);
        }
        var budget = options.LimiterBudget <= 100_000 ? "Clerk:RequestsPer10Seconds" : "a registered ClerkRateLimiter (above what ClerkOptions accepts)";
        Emit($"Throughput runs: {options.Messages} messages per variant at concurrency {options.Concurrency} over {options.Memberships} memberships; " +
            $"warm-up rounds of {options.Warmup} messages for at least {options.WarmupSeconds} s and until the JIT is quiet; " +
            $"RoleSync's limiter budget {options.LimiterBudget} requests / 10 s via {budget}; the sandbox enforces no limits.");
        Emit();

        await using var vault = await KeyVaultFake.KeyVaultFake.StartAsync().ConfigureAwait(false);
        vault.SetSecret(TestSecretName, TestKey);
        vault.SetSecret(LiveSecretName, LiveKey);
        var certificatePath = Path.Combine(Path.GetTempPath(), $"rolesync-loadtest-vault-{Environment.ProcessId}.cer");
        await File.WriteAllBytesAsync(certificatePath, vault.Certificate.RawData).ConfigureAwait(false);

        AzuriteProcess? azurite = null;
        bool failed = false;
        try
        {
            bool needsAzurite = options.Variants.Contains(VariantKind.RoleSyncAzurite) || options.RateLimitedMessages > 0;
            if (!options.NoAzurite && needsAzurite)
            {
                var executable = AzuriteProcess.FindExecutable() ?? throw new InvalidOperationException(
                    "Azurite is not installed: run 'npm ci' at the repository root, or pass --no-azurite.");
                azurite = await AzuriteProcess.StartAsync(executable, CancellationToken.None).ConfigureAwait(false);
            }
            var services = new RunServices(vault, certificatePath, azurite);

            var runs = new List<IReadOnlyList<Measurement>>();
            if (options.Variants.Count > 0)
            {
                // No limits: the throughput runs measure this machine, not Clerk's rules (warm-up rounds reuse memberships).
                await using var sandbox = await StartSandboxAsync(instanceLimit: 0, membershipLimit: 0, TestKey, record: false).ConfigureAwait(false);
                for (int repeat = 1; repeat <= options.Repeat; repeat++)
                {
                    var run = new List<Measurement>();
                    foreach (var kind in options.Variants)
                    {
                        var spec = Spec($"{Short(kind)}{repeat}", kind, sandbox.BaseUrl, TestIdentity, services);
                        Console.WriteLine($"-- run {repeat}/{options.Repeat}: {Report.DisplayName(kind)}, {options.Messages} messages at concurrency {options.Concurrency}");
                        var measurement = await ChildProcess.RunAsync(spec, sandbox, services.Vault, services.Azurite?.Process).ConfigureAwait(false);
                        failed |= measurement.Child is null || !new Figures(measurement).Ok;
                        run.Add(measurement);
                    }
                    runs.Add(run);
                    Emit($"### Throughput, run {repeat} of {options.Repeat} (load average after: {MachineInfo.LoadAverage()})");
                    Emit();
                    Emit(Report.Throughput(run));
                }
                if (options.Repeat > 1)
                {
                    Emit("### Throughput over all runs");
                    Emit();
                    Emit(Report.Summary(runs));
                }
                else
                {
                    Emit(Report.Summary(runs));
                }
                Emit("Client-process runtime counters during the measured runs:");
                Emit();
                Emit(Report.Diagnostics(runs.SelectMany(r => r)));
                Emit("Outcomes (RoleSync: processing outcome; raw and naive: HTTP status):");
                Emit();
                Emit(Report.Outcomes(runs.SelectMany(r => r)));
            }

            if (options.RateLimitedMessages > 0)
            {
                var limited = await RunRateLimitedAsync(services).ConfigureAwait(false);
                failed |= limited.Take(1).Any(m => m.Child is null || !new Figures(m).Ok || m.Child.Failed > 0);
                Emit($"### Rate-limited run: sandbox enforces {ClerkProductionLimit} requests / 10 s (Clerk production), key sk_live_…, RoleSync limiter at its default {ClerkRateLimiter.LiveDefault} / 10 s; Clerk:SecretCacheDuration {options.RateLimitedSecretCacheSeconds} s (load average after: {MachineInfo.LoadAverage()})");
                Emit();
                Emit(Report.RateLimited(limited, ClerkRateLimiter.LiveDefault, ClerkProductionLimit));
                Emit(Report.Diagnostics(limited));
                Emit(Report.Outcomes(limited));
            }

            Emit($"Load average at end (1/5/15 min): {MachineInfo.LoadAverage()}");
        }
        finally
        {
            azurite?.Dispose();
            File.Delete(certificatePath);
        }

        if (options.MarkdownPath is { } path)
        {
            await File.WriteAllTextAsync(path, report.ToString()).ConfigureAwait(false);
            Console.WriteLine($"Report written to {path}");
        }
        return failed ? 1 : 0;
    }

    /// <summary>Only the scale-out runs (issue 13): the Key Vault fake, no Azurite (the hosts use the in-memory ledger).</summary>
    private async Task<int> RunScaleOutModeAsync(StringBuilder report, Action<string> emit)
    {
        await using var vault = await KeyVaultFake.KeyVaultFake.StartAsync().ConfigureAwait(false);
        vault.SetSecret(LiveSecretName, LiveKey);
        var certificatePath = Path.Combine(Path.GetTempPath(), $"rolesync-loadtest-vault-{Environment.ProcessId}.cer");
        await File.WriteAllBytesAsync(certificatePath, vault.Certificate.RawData).ConfigureAwait(false);
        bool ok;
        try
        {
            ok = await RunScaleOutAsync(new RunServices(vault, certificatePath, null), emit).ConfigureAwait(false);
            emit($"Load average at end (1/5/15 min): {MachineInfo.LoadAverage()}");
        }
        finally
        {
            File.Delete(certificatePath);
        }
        if (options.MarkdownPath is { } path)
        {
            await File.WriteAllTextAsync(path, report.ToString()).ConfigureAwait(false);
            Console.WriteLine($"Report written to {path}");
        }
        return ok ? 0 : 1;
    }

    /// <summary>RoleSync against Clerk's production limit, then the naive baseline against the same limit for contrast.</summary>
    private async Task<List<Measurement>> RunRateLimitedAsync(RunServices services)
    {
        var results = new List<Measurement>();
        int warmup = Math.Min(options.Warmup, 20); // warm-up spends the same budget; keep it small
        await using (var sandbox = await StartSandboxAsync(ClerkProductionLimit, ClerkMembershipLimit, LiveKey, record: true).ConfigureAwait(false))
        {
            var kind = services.Azurite is null ? VariantKind.RoleSyncMemory : VariantKind.RoleSyncAzurite;
            var spec = RateLimited(Spec($"limited-{Short(kind)}", kind, sandbox.BaseUrl, LiveIdentity, services), warmup)
                with { SecretCacheDuration = TimeSpan.FromSeconds(options.RateLimitedSecretCacheSeconds) };
            Console.WriteLine($"-- rate-limited: {Report.DisplayName(kind)}, {options.RateLimitedMessages} messages at concurrency {options.Concurrency} (about {options.RateLimitedMessages / (ClerkRateLimiter.LiveDefault / 10.0):0} s)");
            results.Add(await ChildProcess.RunAsync(spec, sandbox, services.Vault, services.Azurite?.Process).ConfigureAwait(false));
        }

        // A fresh sandbox, so the naive run starts with Clerk's full window like RoleSync did.
        await using (var sandbox = await StartSandboxAsync(ClerkProductionLimit, ClerkMembershipLimit, LiveKey, record: true).ConfigureAwait(false))
        {
            var spec = RateLimited(Spec("limited-naive", VariantKind.Naive, sandbox.BaseUrl, LiveIdentity, services), warmup);
            Console.WriteLine($"-- rate-limited: {Report.DisplayName(VariantKind.Naive)}, {options.RateLimitedMessages} messages");
            results.Add(await ChildProcess.RunAsync(spec, sandbox, services.Vault, services.Azurite?.Process).ConfigureAwait(false));
        }
        return results;
    }

    private async Task<ClerkSandbox.ClerkSandbox> StartSandboxAsync(int instanceLimit, int membershipLimit, string key, bool record)
    {
        var sandboxOptions = new ClerkSandboxOptions { InstanceLimit = instanceLimit, MembershipLimit = membershipLimit, RecordRequests = record };
        sandboxOptions.SecretKeys.Clear();
        sandboxOptions.SecretKeys.Add(key);
        var sandbox = await ClerkSandbox.ClerkSandbox.StartAsync(sandboxOptions).ConfigureAwait(false);
        Workload.Seed(sandbox, options.Memberships, options.Warmup);
        return sandbox;
    }

    /// <summary>A throughput run of <paramref name="kind"/>: the options' messages, warm-up and limiter budget.</summary>
    private VariantSpec Spec(string name, VariantKind kind, Uri clerkUrl, ClerkIdentity identity, RunServices services) => new()
    {
        Name = $"{_runId}{name}",
        Kind = kind,
        ClerkUrl = clerkUrl,
        ClerkKey = identity.Key,
        VaultUri = services.Vault.VaultUri,
        VaultCertificatePath = services.CertificatePath,
        SecretName = identity.SecretName,
        AzuriteConnectionString = services.Azurite?.ConnectionString,
        TableName = kind == VariantKind.RoleSyncAzurite ? $"ledger{_runId}{name.Replace("-", "", StringComparison.Ordinal)}" : null,
        Messages = options.Messages,
        Concurrency = options.Concurrency,
        Memberships = options.Memberships,
        Warmup = options.Warmup,
        WarmupSeconds = options.WarmupSeconds,
        MaxSeconds = options.MaxSeconds,
        RequestsPer10Seconds = options.LimiterBudget,
    };

    /// <summary>The same run against Clerk's production limit: the rate-limited messages, one warm-up round, the key's default limiter.</summary>
    private VariantSpec RateLimited(VariantSpec spec, int warmup) =>
        spec with { Messages = options.RateLimitedMessages, Warmup = warmup, WarmupSeconds = 0, RequestsPer10Seconds = null };

    private static string Short(VariantKind kind) => kind switch
    {
        VariantKind.Raw => "raw",
        VariantKind.RoleSyncMemory => "memory",
        VariantKind.RoleSyncAzurite => "azurite",
        _ => "naive",
    };

    /// <summary>The key a sandbox accepts and the vault secret that holds it.</summary>
    private sealed record ClerkIdentity(string Key, string SecretName);

    /// <summary>What every child of a run talks to besides the sandbox: the vault (and its certificate on disk) and Azurite, if started.</summary>
    private sealed record RunServices(KeyVaultFake.KeyVaultFake Vault, string CertificatePath, AzuriteProcess? Azurite);
}
