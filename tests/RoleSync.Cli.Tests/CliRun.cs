using RoleSync.ClerkSandbox;

namespace RoleSync.Cli.Tests;

/// <summary>What one in-process run of the CLI returned and printed.</summary>
internal sealed record CliResult(int ExitCode, string Stdout, string Stderr)
{
    /// <summary>Every stdout line parsed as JSON.</summary>
    public IReadOnlyList<JsonElement> Lines =>
        [.. Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => JsonDocument.Parse(line).RootElement)];

    public IReadOnlyList<string?> Outcomes => [.. Lines.Select(l => l.GetProperty("outcome").GetString())];

    public override string ToString() => $"exit {ExitCode}\nstdout:\n{Stdout}\nstderr:\n{Stderr}";
}

/// <summary>Runs <see cref="RolesyncCli"/> in-process with captured streams and test-friendly knobs.</summary>
internal static class CliRun
{
    public const string SecretKey = RoleSyncHarness.SecretKey;

    public static Task<CliResult> RunAsync(params string[] args) => RunAsync(args, stdin: "");

    public static async Task<CliResult> RunAsync(
        string[] args,
        string stdin,
        IDictionary<string, string?>? environment = null,
        Func<CliContext, CliContext>? configure = null,
        CancellationToken ct = default)
    {
        environment ??= new Dictionary<string, string?> { ["CLERK_SECRET_KEY"] = SecretKey };
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var context = new CliContext(new StringReader(stdin), stdout, stderr, name => environment.TryGetValue(name, out var value) ? value : null)
        {
            RetryBaseDelay = TimeSpan.FromMilliseconds(10),
            EnvironmentSettings = CliEnvironment.Settings(environment),
            Settings = new Dictionary<string, string?> { ["Clerk:RequestsPer10Seconds"] = "100000" },
        };
        context = configure?.Invoke(context) ?? context;
        int exitCode = await RolesyncCli.RunAsync(args, context, ct);
        return new CliResult(exitCode, stdout.ToString(), stderr.ToString());
    }

    /// <summary>"apply - --clerk-api-url {sandbox}" plus <paramref name="more"/>, with <paramref name="lines"/> on stdin.</summary>
    public static Task<CliResult> ApplyAsync(ClerkSandbox.ClerkSandbox clerk, IEnumerable<string> lines, params string[] more) =>
        RunAsync(["apply", "-", "--clerk-api-url", clerk.BaseUrl.ToString(), .. more], string.Join("\n", lines) + "\n");

    /// <summary><see cref="ApplyAsync(ClerkSandbox.ClerkSandbox, IEnumerable{string}, string[])"/> with these environment variables besides the key.</summary>
    public static Task<CliResult> ApplyAsync(ClerkSandbox.ClerkSandbox clerk, IEnumerable<string> lines, IDictionary<string, string?> environment, params string[] more) =>
        RunAsync(["apply", "-", "--clerk-api-url", clerk.BaseUrl.ToString(), .. more], string.Join("\n", lines) + "\n",
            new Dictionary<string, string?>(environment) { ["CLERK_SECRET_KEY"] = SecretKey });
}

/// <summary>A Clerk sandbox with the harness organization (admin, member) plus a second member; roles org:admin, org:member, org:billing.</summary>
internal static class TestSandbox
{
    public const string OrgId = RoleSyncHarness.OrgId;
    public const string AdminId = RoleSyncHarness.AdminId;
    public const string MemberId = RoleSyncHarness.MemberId;
    public const string Member2Id = "user_2m4rs5Kun3TU9vMw7HIPhcNMGqW";
    public const string StrangerId = "user_2z9yx8Wvu7TS6rQp5ONMlkJIHgF";

    public static async Task<ClerkSandbox.ClerkSandbox> StartAsync(Action<ClerkSandboxOptions>? configure = null)
    {
        var options = new ClerkSandboxOptions();
        configure?.Invoke(options);
        var clerk = await ClerkSandbox.ClerkSandbox.StartAsync(options);
        clerk.AddOrganization(OrgId, "org:admin", "org:member", "org:billing");
        clerk.AddMember(OrgId, AdminId, "org:admin");
        clerk.AddMember(OrgId, MemberId, "org:member");
        clerk.AddMember(OrgId, Member2Id, "org:member");
        return clerk;
    }

    /// <summary>Message timestamps: <see cref="Messages.BaseTime"/> plus minutes.</summary>
    public static DateTimeOffset At(int minutes) => Messages.BaseTime.AddMinutes(minutes);
}
