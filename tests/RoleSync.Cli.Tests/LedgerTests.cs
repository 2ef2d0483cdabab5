namespace RoleSync.Cli.Tests;

public sealed class LedgerTests
{
    [Fact]
    public async Task A_table_ledger_orders_changes_across_runs()
    {
        await using var clerk = await StartAsync();
        var connectionString = await Azurite.GetConnectionStringAsync();
        var table = Azurite.NewTableName("cli");
        Task<CliResult> Apply(string[] lines, params string[] more) => CliRun.RunAsync(
            ["apply", "-", "--clerk-api-url", clerk.BaseUrl.ToString(), "--ledger", connectionString, .. more],
            string.Join("\n", lines),
            configure: c => c with { Settings = new Dictionary<string, string?>(c.Settings) { ["Ledger:TableName"] = table } });
        var newer = Messages.Plain("evt-2", At(2), userId: MemberId, role: "org:billing");
        var older = Messages.Plain("evt-1", At(1), userId: MemberId, role: "org:admin");
        var newest = Messages.Plain("evt-3", At(3), userId: MemberId, role: "org:admin");

        var first = await Apply([newer]);
        var second = await Apply([older, newer]);
        var planned = await Apply([older, newer, newest], "--dry-run");

        Assert.True(first.ExitCode == 0, first.ToString());
        Assert.Equal(["applied"], first.Outcomes);
        Assert.True(second.ExitCode == 0, second.ToString());
        Assert.Equal(["stale", "duplicate"], second.Outcomes);
        Assert.True(planned.ExitCode == 0, planned.ToString());
        Assert.Equal(["stale", "duplicate", "would-apply"], planned.Outcomes);
        Assert.Equal(1, clerk.PatchCount);
        Assert.Equal("org:billing", clerk.GetRole(OrgId, MemberId));
        Assert.DoesNotContain("AccountKey", string.Concat(first.Stderr, second.Stderr, planned.Stderr));
    }

    [Fact]
    public async Task An_invalid_ledger_connection_string_exits_1()
    {
        await using var clerk = await StartAsync();

        var result = await CliRun.RunAsync(["apply", "-", "--clerk-api-url", clerk.BaseUrl.ToString(), "--ledger", "AccountName=x;AccountKey=notbase64!"],
            Messages.Plain("evt-1", userId: MemberId, role: "org:admin"));

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Contains("--ledger", result.Stderr);
        Assert.DoesNotContain("notbase64", result.Stderr);
        Assert.Equal("", result.Stdout);
        Assert.Equal(0, clerk.RequestCount);
    }
}
