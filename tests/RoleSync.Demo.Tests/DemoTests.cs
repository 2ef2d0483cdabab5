using System.Text.Json;
using RoleSync.Emulators;

namespace RoleSync.Demo.Tests;

/// <summary>The README's demo (<c>./demo.sh</c> runs <c>dotnet run --project tools/RoleSync.Demo</c>), run in-process.</summary>
public sealed class DemoTests
{
    [Fact]
    public async Task The_demo_applies_the_samples_with_Azurite_as_the_ledger_and_stops_what_it_started()
    {
        Assert.True(AzuriteProcess.FindExecutable() is not null, "Azurite is not installed. " + AzuriteProcess.InstallHint);

        var (exitCode, stdout, stderr) = await RunAsync(AzuriteProcess.FindExecutable);

        Assert.True(exitCode == 0, stdout + stderr);
        Assert.Contains("Ledger: Azure Table Storage on Azurite", stdout);
        Assert.Contains("--ledger \"<Azurite's connection string>\"", stdout);
        AssertSampleOutcomes(stdout, stderr);
        Assert.EndsWith("Stopped the Clerk sandbox and Azurite.", stdout.TrimEnd());
    }

    [Fact]
    public async Task Without_Azurite_the_demo_says_so_and_uses_the_in_memory_ledger()
    {
        var (exitCode, stdout, stderr) = await RunAsync(() => null);

        Assert.True(exitCode == 0, stdout + stderr);
        Assert.Contains("Ledger: rolesync's in-memory ledger (ordering within this run only). Azurite is not installed. Run 'npm ci'", stdout);
        Assert.DoesNotContain("--ledger", stdout);
        AssertSampleOutcomes(stdout, stderr);
        Assert.EndsWith("Stopped the Clerk sandbox.", stdout.TrimEnd());
    }

    [Fact]
    public async Task Canceled_before_it_starts_the_demo_exits_130()
    {
        using var canceled = new CancellationTokenSource();
        await canceled.CancelAsync();
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();

        int exitCode = await DemoRun.RunAsync(stdout, stderr, () => null, canceled.Token);

        Assert.Equal(130, exitCode);
        Assert.Contains("demo: canceled.", stderr.ToString());
    }

    /// <summary>10 applied, 1 stale, 1 duplicate, 3 rejected (README "Run it"), and the roles they leave in Clerk (a joiner, a leaver).</summary>
    private static void AssertSampleOutcomes(string stdout, string stderr)
    {
        var outcomes = stdout.Split('\n', StringSplitOptions.TrimEntries)
            .Where(line => line.StartsWith("{\"index\":", StringComparison.Ordinal))
            .Select(line => JsonDocument.Parse(line).RootElement.GetProperty("outcome").GetString())
            .GroupBy(outcome => outcome)
            .ToDictionary(g => g.Key!, g => g.Count());
        Assert.Equal(new Dictionary<string, int> { ["applied"] = 10, ["stale"] = 1, ["duplicate"] = 1, ["rejected"] = 3 }, outcomes);
        Assert.Contains("rolesync apply: 15 messages: 10 applied, 1 stale, 1 duplicate, 3 rejected", stderr);
        Assert.Contains("Membership__CreateMissing=true Roles__Map__Manager=org:admin rolesync apply", stdout);
        Assert.Contains("org_2YK0fFWqcajQLE9WVxuXbrFZmU3  user_2Jn7rQx4WmYb8TzKp3LcVd5HsAe  org:member   (joined)", stdout);
        Assert.Contains("org_2A6IIRgmKJSZUqQZNRf2BvfxZAZ  user_2Yk70sJaNC9dlbNXKhRTxx8F2Ld  org:admin    (was org:viewer)", stdout);
        Assert.Contains("org_2YK0fFWqcajQLE9WVxuXbrFZmU3  user_2CCY1yYeHBEtT0A8fmVRrCFUY9l  -            (removed; was org:admin)", stdout);
        Assert.Contains("(rolesync exit code 2: some messages were rejected, as the samples intend)", stdout);
        Assert.Contains("org_2YK0fFWqcajQLE9WVxuXbrFZmU3  user_2KPS5ZG6bOxpMBtwLhfG4RHmhMQ  org:admin    (was org:member)", stdout);
    }

    private static async Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(Func<string?> findAzurite)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        int exitCode = await DemoRun.RunAsync(stdout, stderr, findAzurite, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(120));
        return (exitCode, stdout.ToString(), stderr.ToString());
    }
}
