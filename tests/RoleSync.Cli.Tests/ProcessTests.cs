using System.Diagnostics;
using System.Reflection;

namespace RoleSync.Cli.Tests;

/// <summary>The real executable, as an operator runs it: streams, exit codes, environment.</summary>
public sealed class ProcessTests
{
    [Fact]
    public async Task Validate_reads_piped_stdin_and_sets_the_exit_code()
    {
        using var process = Start(["validate", "-"]);
        await process.StandardInput.WriteLineAsync(Messages.Plain("evt-ok"));
        await process.StandardInput.WriteLineAsync("{\"eventId\":\"evt-bad\"}");
        process.StandardInput.Close();

        var (exitCode, stdout, stderr) = await FinishAsync(process);

        Assert.True(exitCode == 2, stderr);
        Assert.Equal(
            """
            {"index":1,"eventId":"evt-ok","valid":true,"errors":[]}
            {"index":2,"eventId":"evt-bad","valid":false,"errors":["occurredAt: is required","organizationId: is required","userId: is required (or externalId or emailAddress)","role: is required"]}

            """.ReplaceLineEndings("\n"),
            stdout.ReplaceLineEndings("\n"));
        Assert.Contains("rolesync validate: 2 messages: 1 valid, 1 invalid", stderr);
    }

    [Fact]
    public async Task The_samples_apply_end_to_end_against_the_sandbox()
    {
        await using var sandbox = await Samples.StartSandboxAsync();
        var url = sandbox.BaseUrl.GetLeftPart(UriPartial.Authority);

        using var apply = Start(["apply", Samples.RoleChangesPath, "--clerk-api-url", url],
            new Dictionary<string, string?>(Samples.Environment) { ["CLERK_SECRET_KEY"] = CliRun.SecretKey }); // settings from the real process environment
        var (exitCode, stdout, stderr) = await FinishAsync(apply);

        Assert.True(exitCode == 2, stdout + stderr);
        var result = new CliResult(exitCode, stdout, stderr);
        Assert.Equal(Samples.Outcomes, result.Outcomes);
        Assert.Contains("rolesync apply: 15 messages: 10 applied, 1 stale, 1 duplicate, 3 rejected", stderr);
        Assert.DoesNotContain(CliRun.SecretKey, stdout + stderr);
    }

    [Fact]
    public async Task A_missing_secret_exits_1_with_a_message_on_stderr()
    {
        using var process = Start(["apply", Samples.RoleChangesPath, "--clerk-api-url", "http://127.0.0.1:9"],
            new Dictionary<string, string?> { ["CLERK_SECRET_KEY"] = null });
        process.StandardInput.Close();

        var (exitCode, stdout, stderr) = await FinishAsync(process);

        Assert.Equal(1, exitCode);
        Assert.Equal("", stdout);
        Assert.StartsWith("rolesync: no Clerk secret key", stderr);
    }

    /// <summary>rolesync.dll in the CLI's own build output (recorded at build time, see the project file).</summary>
    private static string RolesyncPath { get; } = typeof(ProcessTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
        .Single(a => a.Key == "RolesyncPath").Value ?? throw new InvalidOperationException("RolesyncPath is not recorded.");

    private static Process Start(string[] args, IDictionary<string, string?>? environment = null)
    {
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(RolesyncPath);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }
        start.Environment.Remove("CLERK_SECRET_KEY");
        foreach (var (name, value) in environment ?? new Dictionary<string, string?>())
        {
            start.Environment[name] = value;
        }
        return Process.Start(start) ?? throw new InvalidOperationException("rolesync did not start.");
    }

    private static async Task<(int ExitCode, string Stdout, string Stderr)> FinishAsync(Process process)
    {
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        return (process.ExitCode, await stdout, await stderr);
    }
}
