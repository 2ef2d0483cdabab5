using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;

namespace RoleSync.Cli.Tests;

public sealed partial class SandboxCommandTests
{
    /// <summary>The sample's expected outcomes, as docs/cli.md shows them.</summary>
    internal static readonly string[] SampleOutcomes =
        ["applied", "applied", "applied", "applied", "stale", "duplicate", "rejected", "rejected", "rejected", "applied", "applied"];

    internal static readonly string?[] SampleReasons =
        [null, null, null, null, null, null, "MembershipNotFound", "InvalidMessage", "RoleNotFound", null, null];

    internal static string SamplePath => Path.Combine(AppContext.BaseDirectory, "samples", "role-changes.jsonl");

    [Fact]
    public async Task Sandbox_serves_the_sample_seed_until_canceled_and_the_samples_apply_against_it()
    {
        using var stop = new CancellationTokenSource();
        var stdout = new SignallingWriter("Press Ctrl+C");
        using var stderr = new StringWriter();
        var context = new CliContext(new StringReader(""), stdout, stderr, _ => null);
        var sandbox = RolesyncCli.RunAsync(["sandbox", "--port", "0"], context, stop.Token);
        await stdout.Signalled.WaitAsync(TimeSpan.FromSeconds(30));
        var url = ListeningUrl().Match(stdout.ToString()).Groups[1].Value;

        var applied = await CliRun.RunAsync("apply", SamplePath, "--clerk-api-url", url);
        await stop.CancelAsync();

        Assert.Equal(0, await sandbox.WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.Contains("Accepted secret key (fake, for this sandbox only): sk_test_sandbox_fake_key", stdout.ToString());
        Assert.True(applied.ExitCode == 2, applied.ToString());
        Assert.Equal(SampleOutcomes, applied.Outcomes);
        Assert.Equal(SampleReasons, applied.Lines.Select(l => l.GetProperty("reason").GetString()));
    }

    [Fact]
    public async Task Sandbox_loads_a_seed_file()
    {
        var seed = Path.Combine(Path.GetTempPath(), $"rolesync-seed-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(seed,
            $$"""{"organizations":[{"id":"{{TestSandbox.OrgId}}","members":[{"userId":"{{TestSandbox.MemberId}}","role":"org:member"}]}]}""");
        try
        {
            using var stop = new CancellationTokenSource();
            var stdout = new SignallingWriter("Press Ctrl+C");
            var context = new CliContext(new StringReader(""), stdout, TextWriter.Null, _ => null);
            var sandbox = RolesyncCli.RunAsync(["sandbox", "--port", "0", "--seed", seed], context, stop.Token);
            await stdout.Signalled.WaitAsync(TimeSpan.FromSeconds(30));
            var url = ListeningUrl().Match(stdout.ToString()).Groups[1].Value;

            var result = await CliRun.RunAsync(["apply", "-", "--clerk-api-url", url],
                Testing.Messages.Plain("evt-1", userId: TestSandbox.MemberId, role: "org:admin"));
            await stop.CancelAsync();

            Assert.Equal(0, await sandbox.WaitAsync(TimeSpan.FromSeconds(30)));
            Assert.True(result.ExitCode == 0, result.ToString());
            Assert.Equal(["applied"], result.Outcomes);
        }
        finally
        {
            File.Delete(seed);
        }
    }

    [Fact]
    public async Task A_bad_seed_or_a_busy_port_exits_1()
    {
        var seed = Path.Combine(Path.GetTempPath(), $"rolesync-seed-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(seed, """{"organisations":[]}""");
        using var busy = new TcpListener(IPAddress.Loopback, 0);
        busy.Start();
        var port = ((IPEndPoint)busy.LocalEndpoint).Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        try
        {
            var badSeed = await CliRun.RunAsync("sandbox", "--port", "0", "--seed", seed);
            var missingSeed = await CliRun.RunAsync("sandbox", "--port", "0", "--seed", seed + ".missing");
            var busyPort = await CliRun.RunAsync("sandbox", "--port", port);

            Assert.True(badSeed.ExitCode == 1, badSeed.ToString());
            Assert.Contains("is not valid", badSeed.Stderr);
            Assert.True(missingSeed.ExitCode == 1, missingSeed.ToString());
            Assert.Contains("cannot read seed file", missingSeed.Stderr);
            Assert.True(busyPort.ExitCode == 1, busyPort.ToString());
            Assert.Contains($"cannot listen on 127.0.0.1:{port}", busyPort.Stderr);
        }
        finally
        {
            File.Delete(seed);
        }
    }

    [GeneratedRegex(@"Clerk sandbox listening on (http://127\.0\.0\.1:\d+)")]
    internal static partial Regex ListeningUrl();
}
