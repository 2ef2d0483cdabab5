namespace RoleSync.Cli.Tests;

/// <summary>
/// <c>rolesync history --ledger … org_… user_…</c>: the history <c>rolesync apply</c> wrote into Azurite, newest first,
/// one JSON line per entry, without a Clerk key.
/// </summary>
public sealed class HistoryTests : IAsyncLifetime
{
    private readonly Dictionary<string, string?> _tables = new()
    {
        ["Ledger:TableName"] = Azurite.NewTableName("hledger"),
        ["History:TableName"] = Azurite.NewTableName("history"),
    };

    private ClerkSandbox.ClerkSandbox _clerk = null!;
    private string _ledger = null!;

    public async Task InitializeAsync()
    {
        _clerk = await StartAsync();
        _ledger = await Azurite.GetConnectionStringAsync();
        var applied = await CliRun.RunAsync(["apply", "-", "--clerk-api-url", _clerk.BaseUrl.ToString(), "--ledger", _ledger], string.Join("\n",
                Messages.Plain("evt-1", Messages.BaseTime, role: "org:billing"),
                Messages.Plain("evt-2", Messages.BaseTime.AddMinutes(1), role: "org:admin"),
                Messages.Plain("evt-0", Messages.BaseTime.AddMinutes(-1), role: "org:member")) + "\n",
            configure: WithTables);
        Assert.True(applied.ExitCode == 0, applied.ToString());
    }

    public async Task DisposeAsync() => await _clerk.DisposeAsync();

    [Fact]
    public async Task The_history_is_printed_newest_first_as_json_lines_with_the_cli_entry_point()
    {
        var result = await HistoryAsync(OrgId, MemberId);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(["evt-2", "evt-1", "evt-0"], result.Lines.Select(l => l.GetProperty("eventId").GetString()));
        Assert.Equal(["applied", "applied", "stale"], result.Lines.Select(l => l.GetProperty("outcome").GetString()));
        Assert.All(result.Lines, l => Assert.Equal("cli", l.GetProperty("entryPoint").GetString()));
        Assert.Equal("evt-2", result.Lines[2].GetProperty("supersededBy").GetString());
        Assert.Equal($"rolesync history: 3 entries for {OrgId}/{MemberId}", result.Stderr.Trim());
    }

    [Fact]
    public async Task Limit_cuts_the_output_and_an_unknown_membership_prints_nothing()
    {
        var limited = await HistoryAsync(OrgId, MemberId, "--limit", "1");
        var unknown = await HistoryAsync(OrgId, Member2Id);

        Assert.Equal(["evt-2"], limited.Lines.Select(l => l.GetProperty("eventId").GetString()));
        Assert.True(unknown.ExitCode == 0, unknown.ToString());
        Assert.Equal("", unknown.Stdout);
    }

    [Theory]
    [InlineData("acme", MemberId)]
    [InlineData(OrgId, "bob")]
    public async Task Ids_are_validated(string organizationId, string userId)
    {
        var result = await HistoryAsync(organizationId, userId);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("is not a Clerk ID", result.Stderr);
    }

    private CliContext WithTables(CliContext context) => context with { Settings = new Dictionary<string, string?>(context.Settings.Concat(_tables)) };

    private Task<CliResult> HistoryAsync(string organizationId, string userId, params string[] more) =>
        CliRun.RunAsync(["history", "--ledger", _ledger, organizationId, userId, .. more], "", environment: new Dictionary<string, string?>(), configure: WithTables);
}
