namespace RoleSync.Cli.Tests;

/// <summary>
/// A production key (sk_live_…) with an in-memory ledger could undo what the queue applied: <c>apply</c> refuses it
/// without <c>--ledger</c>, unless <c>--no-ledger</c> says so.
/// </summary>
public sealed class LiveKeyTests
{
    private const string LiveKey = "sk_live_fake_production_key_for_tests";

    private static readonly string OneMessage = Messages.Plain("evt-1", userId: MemberId, role: "org:admin");

    private static Dictionary<string, string?> LiveEnvironment => new() { ["CLERK_SECRET_KEY"] = LiveKey };

    [Fact]
    public async Task A_live_key_without_a_ledger_is_refused_naming_both_flags_before_any_request()
    {
        await using var clerk = await StartLiveAsync();

        var result = await CliRun.RunAsync(["apply", "-", "--clerk-api-url", clerk.BaseUrl.ToString()], OneMessage, LiveEnvironment);

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Contains("production key (sk_live_…) and no --ledger", result.Stderr);
        Assert.Contains("--ledger CONNECTION_STRING|TABLE_SERVICE_URI", result.Stderr);
        Assert.Contains("--no-ledger", result.Stderr);
        Assert.DoesNotContain(LiveKey, result.Stderr);
        Assert.Equal("", result.Stdout);
        Assert.Equal(0, clerk.RequestCount);
    }

    [Fact]
    public async Task No_ledger_says_the_in_memory_ledger_is_meant()
    {
        await using var clerk = await StartLiveAsync();

        var result = await CliRun.RunAsync(["apply", "-", "--clerk-api-url", clerk.BaseUrl.ToString(), "--no-ledger"], OneMessage, LiveEnvironment);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(["applied"], result.Outcomes);
    }

    [Fact]
    public async Task A_live_key_with_a_ledger_applies()
    {
        await using var clerk = await StartLiveAsync();
        var table = Azurite.NewTableName("live");

        var result = await CliRun.RunAsync(
            ["apply", "-", "--clerk-api-url", clerk.BaseUrl.ToString(), "--ledger", await Azurite.GetConnectionStringAsync()], OneMessage, LiveEnvironment,
            configure: c => c with { Settings = new Dictionary<string, string?>(c.Settings) { ["Ledger:TableName"] = table } });

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(["applied"], result.Outcomes);
    }

    [Fact]
    public async Task A_live_key_read_from_Key_Vault_is_refused_too()
    {
        await using var clerk = await StartLiveAsync();
        await using var vault = await KeyVaultFake.KeyVaultFake.StartAsync();
        vault.SetSecret("clerk-secret-key", LiveKey);

        var result = await CliRun.RunAsync(
            ["apply", "-", "--clerk-api-url", clerk.BaseUrl.ToString(), "--key-vault-uri", vault.VaultUri.ToString()], OneMessage,
            environment: new Dictionary<string, string?>(), configure: c => c with { SecretClient = vault.CreateClient() });

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Contains("--no-ledger", result.Stderr);
        Assert.Equal(0, clerk.RequestCount);
    }

    [Fact]
    public async Task A_dry_run_sends_no_PATCH_and_needs_no_ledger()
    {
        await using var clerk = await StartLiveAsync();

        var result = await CliRun.RunAsync(["apply", "-", "--clerk-api-url", clerk.BaseUrl.ToString(), "--dry-run"], OneMessage, LiveEnvironment);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(["would-apply"], result.Outcomes);
        Assert.Equal(0, clerk.PatchCount);
    }

    [Fact]
    public async Task Ledger_and_no_ledger_together_are_a_usage_error()
    {
        var result = await CliRun.RunAsync(["apply", "-", "--ledger", "UseDevelopmentStorage=true", "--no-ledger"], OneMessage);

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Contains("--no-ledger and --ledger cannot be used together", result.Stderr);
        Assert.DoesNotContain("\"outcome\"", result.Stdout); // a usage error: the help, no message processed
    }

    private static Task<ClerkSandbox.ClerkSandbox> StartLiveAsync() => StartAsync(o => { o.SecretKeys.Clear(); o.SecretKeys.Add(LiveKey); });
}
