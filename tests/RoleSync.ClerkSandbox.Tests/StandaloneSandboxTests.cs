using System.Globalization;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using RoleSync.Testing;

namespace RoleSync.ClerkSandbox.Tests;

/// <summary>The sandbox's own program (<c>dotnet run --project tools/RoleSync.ClerkSandbox -- [--port N] [--seed FILE]</c>), run in-process.</summary>
public sealed partial class StandaloneSandboxTests
{
    private const string SampleOrganization = "org_2YK0fFWqcajQLE9WVxuXbrFZmU3";
    private const string SampleMember = "user_2KPS5ZG6bOxpMBtwLhfG4RHmhMQ";

    private static string SampleSeedPath => Path.Combine(AppContext.BaseDirectory, "samples", "sandbox-seed.json");

    [Fact]
    public async Task Serves_the_sample_seed_on_the_given_port_until_stopped()
    {
        int port;
        await using (var probe = await ClerkSandbox.StartAsync())
        {
            port = probe.BaseUrl.Port;
        }

        using var stop = new CancellationTokenSource();
        var stdout = new SignallingWriter("Press Ctrl+C");
        var run = StandaloneSandbox.RunAsync(["--port", port.ToString(CultureInfo.InvariantCulture), "--seed", SampleSeedPath], stdout, TextWriter.Null, stop.Token);
        await stdout.Signalled.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal($"http://127.0.0.1:{port}", ListeningUrl(stdout));
        Assert.Contains("Accepted secret key(s): sk_test_sandbox_fake_key", stdout.ToString());
        using (var http = Client(ListeningUrl(stdout), SandboxHarness.Key))
        {
            using var promoted = await SetRoleAsync(http, SampleOrganization, SampleMember, "org:admin");
            Assert.Equal("org:admin", (await ClerkAssert.JsonAsync(promoted)).GetProperty("role").GetString());
            using var stranger = await SetRoleAsync(http, SampleOrganization, "user_26mj8rNaBZYZ0HFeEogxx9jROpM", "org:member");
            await ClerkAssert.ErrorAsync(stranger, HttpStatusCode.NotFound, "resource_not_found");
        }

        await stop.CancelAsync();
        Assert.Equal(0, await run.WaitAsync(TimeSpan.FromSeconds(30)));
        await using var again = await ClerkSandbox.StartAsync(new ClerkSandboxOptions { Port = port }); // the port is free again
    }

    [Fact]
    public async Task Loads_a_seed_file_with_its_keys_on_a_free_port()
    {
        var seed = Path.Combine(Path.GetTempPath(), $"rolesync-seed-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(seed,
            """{"secretKeys":["sk_test_seeded_fake"],"organizations":[{"id":"org_1","members":[{"userId":"user_1","role":"org:member"}]}]}""");
        try
        {
            using var stop = new CancellationTokenSource();
            var stdout = new SignallingWriter("Press Ctrl+C");
            var run = StandaloneSandbox.RunAsync(["--port", "0", "--seed", seed], stdout, TextWriter.Null, stop.Token);
            await stdout.Signalled.WaitAsync(TimeSpan.FromSeconds(30));

            Assert.Contains("Accepted secret key(s): sk_test_seeded_fake", stdout.ToString());
            using (var seeded = Client(ListeningUrl(stdout), "sk_test_seeded_fake"))
            using (var applied = await SetRoleAsync(seeded, "org_1", "user_1", "org:admin"))
            {
                await ClerkAssert.JsonAsync(applied);
            }
            using (var original = Client(ListeningUrl(stdout), SandboxHarness.Key))
            using (var refused = await SetRoleAsync(original, "org_1", "user_1", "org:member"))
            {
                await ClerkAssert.ErrorAsync(refused, HttpStatusCode.Unauthorized, "clerk_key_invalid");
            }

            await stop.CancelAsync();
            Assert.Equal(0, await run.WaitAsync(TimeSpan.FromSeconds(30)));
        }
        finally
        {
            File.Delete(seed);
        }
    }

    [Fact]
    public async Task A_bad_seed_a_missing_seed_or_a_busy_port_exits_2()
    {
        var seed = Path.Combine(Path.GetTempPath(), $"rolesync-seed-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(seed, """{"organisations":[]}""");
        using var busy = new TcpListener(IPAddress.Loopback, 0);
        busy.Start();
        var port = ((IPEndPoint)busy.LocalEndpoint).Port.ToString(CultureInfo.InvariantCulture);
        try
        {
            var (badSeed, badSeedError) = await RunToEndAsync("--port", "0", "--seed", seed);
            var (missingSeed, missingSeedError) = await RunToEndAsync("--port", "0", "--seed", seed + ".missing");
            var (busyPort, busyPortError) = await RunToEndAsync("--port", port);

            Assert.True(badSeed == 2, badSeedError);
            Assert.Contains("is not a valid seed", badSeedError);
            Assert.True(missingSeed == 2, missingSeedError);
            Assert.Contains("not found", missingSeedError);
            Assert.True(busyPort == 2, busyPortError);
            Assert.Contains($"Cannot listen on 127.0.0.1:{port}", busyPortError);
        }
        finally
        {
            File.Delete(seed);
        }
    }

    /// <summary>Runs the program until it exits by itself (it fails before serving); its exit code and stderr.</summary>
    private static async Task<(int ExitCode, string Stderr)> RunToEndAsync(params string[] args)
    {
        using var stderr = new StringWriter();
        int exitCode = await StandaloneSandbox.RunAsync(args, TextWriter.Null, stderr, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30));
        return (exitCode, stderr.ToString());
    }

    private static string ListeningUrl(SignallingWriter stdout) => ListeningLine().Match(stdout.ToString()).Groups[1].Value;

    private static HttpClient Client(string url, string key)
    {
        var client = new HttpClient { BaseAddress = new Uri(url) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return client;
    }

    private static Task<HttpResponseMessage> SetRoleAsync(HttpClient http, string organizationId, string userId, string role) =>
        http.PatchAsync(SandboxHarness.MembershipPath(organizationId, userId), new StringContent($$"""{"role":"{{role}}"}""", Encoding.UTF8, "application/json"));

    [GeneratedRegex(@"Clerk sandbox listening on (http://127\.0\.0\.1:\d+)")]
    private static partial Regex ListeningLine();
}
