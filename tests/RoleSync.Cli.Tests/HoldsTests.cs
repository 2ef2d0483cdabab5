using RoleSync.AzureAdapters;
using RoleSync.Guard;

namespace RoleSync.Cli.Tests;

/// <summary><c>rolesync holds list|approve|reject --ledger …</c> over holds written to an Azurite guard table, without a Clerk key.</summary>
public sealed class HoldsTests
{
    private readonly Dictionary<string, string?> _tables = new() { ["Guard:TableName"] = Azurite.NewTableName("guard") };

    private async Task<(string Ledger, TableGuardStore Store)> HoldingAsync(string organizationId, params string[] eventIds)
    {
        var ledger = await Azurite.GetConnectionStringAsync();
        var store = new TableGuardStore(new Azure.Data.Tables.TableClient(ledger, _tables["Guard:TableName"]));
        var window = GuardWindow.Empty(organizationId) with { Holding = true, HoldingSince = Messages.BaseTime, HoldSequence = eventIds.Length };
        Assert.NotNull(await store.TryWriteWindowAsync(window));
        for (int i = 0; i < eventIds.Length; i++)
        {
            Assert.NotNull(await store.TryWriteHoldAsync(new GuardHold(organizationId, eventIds[i], i + 1, Messages.BaseTime.AddMinutes(i), $"user_{i}", "", true, "{}")));
        }
        return (ledger, store);
    }

    [Fact]
    public async Task List_shows_each_holding_organization_and_approve_releases_its_holds_naming_the_operator()
    {
        var (ledger, store) = await HoldingAsync("org_cliholds", "e1", "e2");

        var listed = await HoldsAsync("list", "--ledger", ledger);
        var approved = await HoldsAsync("approve", "org_cliholds", "--operator", "carol", "--ledger", ledger);
        var after = await HoldsAsync("list", "--ledger", ledger);

        Assert.True(listed.ExitCode == 0, listed.ToString());
        var line = Assert.Single(listed.Lines);
        Assert.Equal("org_cliholds", line.GetProperty("organizationId").GetString());
        Assert.Equal(2, line.GetProperty("count").GetInt32());
        Assert.True(approved.ExitCode == 0, approved.ToString());
        Assert.Equal("approved", approved.Lines[0].GetProperty("decision").GetString());
        Assert.Equal(["e1", "e2"], approved.Lines[0].GetProperty("eventIds").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal("carol", (await store.GetHoldAsync("org_cliholds", "e2"))!.DecidedBy);
        Assert.Equal("", after.Stdout);
    }

    [Fact]
    public async Task Reject_marks_the_holds_rejected_and_a_bad_organization_id_is_refused()
    {
        var (ledger, store) = await HoldingAsync("org_clireject", "e1");

        var rejected = await HoldsAsync("reject", "org_clireject", "--operator", "dave", "--ledger", ledger);
        var invalid = await HoldsAsync("reject", "acme", "--ledger", ledger);

        Assert.True(rejected.ExitCode == 0, rejected.ToString());
        Assert.Equal(GuardDecision.Rejected, (await store.GetHoldAsync("org_clireject", "e1"))!.Decision);
        Assert.Equal(1, invalid.ExitCode);
        Assert.Contains("is not a Clerk ID", invalid.Stderr);
    }

    private Task<CliResult> HoldsAsync(params string[] args) =>
        CliRun.RunAsync(["holds", .. args], "", environment: new Dictionary<string, string?>(),
            configure: context => context with { Settings = new Dictionary<string, string?>(context.Settings.Concat(_tables)) });
}
