namespace RoleSync.Cli.Tests;

public sealed class ConfigurationTests
{
    private static readonly string OneMessage = Messages.Plain("evt-1", userId: MemberId, role: "org:admin") + "\n";

    [Theory]
    [InlineData("--concurrency", "0", "--concurrency must be from 1 to 64")]
    [InlineData("--concurrency", "65", "--concurrency must be from 1 to 64")]
    [InlineData("--max-attempts", "0", "--max-attempts must be from 1 to 20")]
    [InlineData("--concurrency", "many", "many")]
    [InlineData("--max-attempts", "-1", "--max-attempts must be from 1 to 20")]
    [InlineData("--secret-name", "clerk", "--secret-name needs --key-vault-uri")]
    [InlineData("--no-such-option", "x", "--no-such-option")]
    [InlineData("--clerk-api-url", "not a url", "--clerk-api-url must be an absolute http(s) URL")]
    [InlineData("--clerk-api-url", "ftp://clerk.example", "--clerk-api-url must be an absolute http(s) URL")]
    [InlineData("--key-vault-uri", "http://vault.example", "--key-vault-uri must be an https URL")]
    [InlineData("--budget", "0", "--budget must be from 1 to 1000")]
    [InlineData("--budget", "1001", "--budget must be from 1 to 1000")]
    public async Task Usage_and_configuration_errors_exit_1_before_any_request(string option, string value, string expectedError)
    {
        await using var clerk = await StartAsync();

        string[] clerkUrl = option == "--clerk-api-url" ? [] : ["--clerk-api-url", clerk.BaseUrl.ToString()];

        var result = await CliRun.RunAsync(["apply", "-", .. clerkUrl, option, value], OneMessage);

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Contains(expectedError, result.Stderr);
        Assert.DoesNotContain("\"outcome\"", result.Stdout);
        Assert.Equal(0, clerk.RequestCount);
    }

    [Theory]
    [InlineData("")]
    [InlineData("apply")]
    [InlineData("validate")]
    [InlineData("frobnicate -")]
    public async Task Missing_or_unknown_commands_and_arguments_exit_1(string commandLine)
    {
        var result = await CliRun.RunAsync(commandLine.Split(' ', StringSplitOptions.RemoveEmptyEntries));

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.NotEqual("", result.Stderr);
    }

    [Fact]
    public async Task Help_exits_0()
    {
        var result = await CliRun.RunAsync("apply", "--help");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("--dry-run", result.Stdout);
        Assert.Contains("--max-attempts", result.Stdout);
    }

    [Fact]
    public async Task A_missing_secret_is_a_configuration_error()
    {
        await using var clerk = await StartAsync();

        var result = await CliRun.RunAsync(["apply", "-", "--clerk-api-url", clerk.BaseUrl.ToString()], OneMessage,
            environment: new Dictionary<string, string?>());

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Contains("no Clerk secret key: set the CLERK_SECRET_KEY environment variable", result.Stderr);
        Assert.Equal("", result.Stdout);
        Assert.Equal(0, clerk.RequestCount);
    }

    [Fact]
    public async Task A_secret_that_is_not_a_Clerk_key_is_a_configuration_error_and_is_not_printed()
    {
        await using var clerk = await StartAsync();

        var result = await CliRun.RunAsync(["apply", "-", "--clerk-api-url", clerk.BaseUrl.ToString()], OneMessage,
            environment: new Dictionary<string, string?> { ["CLERK_SECRET_KEY"] = "pk_test_PublishableNotSecret" });

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Contains("does not look like a Clerk secret key", result.Stderr);
        Assert.DoesNotContain("PublishableNotSecret", result.Stderr + result.Stdout);
        Assert.Equal(0, clerk.RequestCount);
    }

    [Theory]
    [InlineData("apply")]
    [InlineData("validate")]
    public async Task A_missing_input_file_exits_1(string command)
    {
        var path = Path.Combine(Path.GetTempPath(), $"rolesync-missing-{Guid.NewGuid():N}.jsonl");

        var result = await CliRun.RunAsync(command, path);

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Contains($"cannot read input file '{path}'", result.Stderr);
        Assert.Equal("", result.Stdout);
    }

    [Fact]
    public async Task Cancellation_exits_130()
    {
        await using var clerk = await StartAsync();
        clerk.Latency = TimeSpan.FromMinutes(5);
        using var stop = new CancellationTokenSource();
        var stdout = new SignallingWriter("never");
        var stderr = new SignallingWriter("canceled");
        var context = new CliContext(new StringReader(OneMessage), stdout, stderr, _ => CliRun.SecretKey);

        var run = RolesyncCli.RunAsync(["apply", "-", "--clerk-api-url", clerk.BaseUrl.ToString()], context, stop.Token);
        await stop.CancelAsync();

        Assert.Equal(130, await run.WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.Equal("rolesync: canceled.", stderr.ToString().Trim());
        Assert.Equal("", stdout.ToString());
    }

    [Fact]
    public void Budget_is_this_process_s_requests_per_10_seconds_unsplit()
    {
        var settings = CliHost.Configure(new CliContext(TextReader.Null, TextWriter.Null, TextWriter.Null, _ => "sk_test_budget"), new ConnectionArguments("http://127.0.0.1:5111", null, null, null, Budget: 120));

        Assert.Equal("120", settings["Clerk:RequestsPer10Seconds"]);
        Assert.Equal("1", settings["RoleSync:MaxInstances"]);
        Assert.False(CliHost.Configure(new CliContext(TextReader.Null, TextWriter.Null, TextWriter.Null, _ => "sk_test_budget"), new ConnectionArguments("http://127.0.0.1:5111", null, null, null)).ContainsKey("Clerk:RequestsPer10Seconds"));
    }
}
