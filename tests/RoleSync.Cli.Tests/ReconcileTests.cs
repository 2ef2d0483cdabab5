namespace RoleSync.Cli.Tests;

/// <summary>
/// <c>rolesync reconcile</c> against the Clerk sandbox and a ledger table in Azurite, seeded by <c>rolesync apply</c>
/// into the same table: report by default, repair with --repair, exit 0 / 2 / 1.
/// </summary>
public sealed class ReconcileTests : IAsyncLifetime
{
    private const string OtherOrgId = "org_2b7Nq4TzRk1WcXv9LmPa3SdFgHj";

    private ClerkSandbox.ClerkSandbox _clerk = null!;
    private string _ledger = null!;
    private readonly string _table = Azurite.NewTableName("reconcile");

    public async Task InitializeAsync()
    {
        _clerk = await StartAsync();
        _clerk.AddOrganization(OtherOrgId, "org:admin", "org:member");
        _clerk.AddMember(OtherOrgId, AdminId, "org:admin");
        _clerk.AddMember(OtherOrgId, MemberId, "org:member");
        _ledger = await Azurite.GetConnectionStringAsync();

        var seeded = await RunAsync(["apply", "-"], string.Join("\n",
            Messages.Plain("evt-1", At(1), userId: MemberId, role: "org:admin"),
            Messages.Plain("evt-2", At(2), userId: Member2Id, role: "org:billing"),
            Messages.Plain("evt-3", At(3), organizationId: OtherOrgId, userId: MemberId, role: "org:admin")));
        Assert.True(seeded.ExitCode == 0, seeded.ToString());
        _clerk.ClearRequests();
    }

    public async Task DisposeAsync() => await _clerk.DisposeAsync();

    [Fact]
    public async Task Memberships_in_sync_exit_0_with_no_lines()
    {
        var result = await ReconcileAsync();

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("", result.Stdout);
        Assert.Matches(@"^rolesync reconcile: 3 checked: 3 in sync, 0 repaired, 0 drift, 0 not a member, 0 managed by directory, 0 failed \(\d+\.\d s\)$", result.Stderr.Trim());
        Assert.Equal(0, _clerk.PatchCount);
    }

    [Fact]
    public async Task A_role_changed_behind_RoleSync_s_back_is_reported_as_drift_and_left_alone()
    {
        _clerk.AddMember(OrgId, MemberId, "org:billing"); // someone changed it in the Clerk Dashboard

        var result = await ReconcileAsync();

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Equal(
            $$"""{"organizationId":"{{OrgId}}","userId":"{{MemberId}}","desiredRole":"org:admin","clerkRole":"org:billing","status":"drift","detail":null}""" + "\n",
            result.Stdout.ReplaceLineEndings("\n"));
        Assert.StartsWith("rolesync reconcile: 3 checked: 2 in sync, 0 repaired, 1 drift,", result.Stderr);
        Assert.Equal("org:billing", _clerk.GetRole(OrgId, MemberId));
        Assert.Equal(0, _clerk.PatchCount);
    }

    [Fact]
    public async Task Repair_puts_the_desired_role_back_and_exits_0()
    {
        _clerk.AddMember(OrgId, MemberId, "org:billing");
        _clerk.AddMember(OtherOrgId, MemberId, "org:member");

        var repaired = await ReconcileAsync("--repair");
        var after = await ReconcileAsync();

        Assert.True(repaired.ExitCode == 0, repaired.ToString());
        Assert.Equal(["repaired", "repaired"], Statuses(repaired));
        Assert.Equal(
            new[] { $"{OrgId} org:admin org:billing", $"{OtherOrgId} org:admin org:member" }.Order(StringComparer.Ordinal),
            repaired.Lines.Select(l => $"{l.GetProperty("organizationId")} {l.GetProperty("desiredRole")} {l.GetProperty("clerkRole")}").Order(StringComparer.Ordinal));
        Assert.StartsWith("rolesync reconcile --repair: 3 checked: 1 in sync, 2 repaired, 0 drift,", repaired.Stderr);
        Assert.Equal("org:admin", _clerk.GetRole(OrgId, MemberId));
        Assert.Equal("org:admin", _clerk.GetRole(OtherOrgId, MemberId));
        Assert.True(after.ExitCode == 0 && after.Stdout == "", after.ToString());
    }

    [Fact]
    public async Task Organization_limits_the_walk_to_one_organization()
    {
        _clerk.AddMember(OrgId, MemberId, "org:billing");
        _clerk.AddMember(OtherOrgId, MemberId, "org:member");

        var result = await ReconcileAsync("--organization", OtherOrgId, "--repair");

        Assert.True(result.ExitCode == 0, result.ToString());
        var line = Assert.Single(result.Lines);
        Assert.Equal(OtherOrgId, line.GetProperty("organizationId").GetString());
        Assert.Equal("repaired", line.GetProperty("status").GetString());
        Assert.StartsWith("rolesync reconcile --repair: 1 checked: 0 in sync, 1 repaired,", result.Stderr);
        Assert.Equal("org:admin", _clerk.GetRole(OtherOrgId, MemberId));
        Assert.Equal("org:billing", _clerk.GetRole(OrgId, MemberId)); // the other organization was not walked
    }

    [Fact]
    public async Task A_membership_removed_in_Clerk_is_not_a_member_even_with_repair()
    {
        _clerk.RemoveMember(OrgId, Member2Id);

        var result = await ReconcileAsync("--repair");

        Assert.True(result.ExitCode == 2, result.ToString());
        var line = Assert.Single(result.Lines);
        Assert.Equal(Member2Id, line.GetProperty("userId").GetString());
        Assert.Equal("not-a-member", line.GetProperty("status").GetString());
        Assert.Equal("org:billing", line.GetProperty("desiredRole").GetString());
        Assert.Null(line.GetProperty("clerkRole").GetString());
        Assert.Contains("1 not a member", result.Stderr);
        Assert.Null(_clerk.GetRole(OrgId, Member2Id));
        Assert.Equal(0, _clerk.PatchCount);
    }

    [Fact]
    public async Task Without_ledger_it_exits_1_before_any_request()
    {
        var result = await CliRun.RunAsync("reconcile", "--repair", "--clerk-api-url", _clerk.BaseUrl.ToString());

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Contains("--ledger", result.Stderr);
        Assert.Contains("required", result.Stderr);
        Assert.Equal(0, _clerk.RequestCount);
    }

    [Theory]
    [InlineData("--organization", "acme", "--organization must be an organization ID (org_ followed by 1-64 letters or digits), not 'acme'.")]
    [InlineData("--organization", "org_a/b", "--organization must be an organization ID")]
    [InlineData("--ledger", "AccountName=x;AccountKey=notbase64!", "--ledger is not a valid Azure Table Storage connection string or table service URI")]
    [InlineData("--clerk-api-url", "ftp://clerk.example", "--clerk-api-url must be an absolute http(s) URL")]
    [InlineData("--secret-name", "clerk", "--secret-name needs --key-vault-uri")]
    public async Task Configuration_errors_exit_1_before_any_request(string option, string value, string expectedError)
    {
        var result = await ReconcileAsync(option, value);

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Contains(expectedError, result.Stderr);
        Assert.DoesNotContain("notbase64", result.Stderr);
        Assert.DoesNotContain("\"status\"", result.Stdout); // a usage error shows the command's help there
        Assert.Equal(0, _clerk.RequestCount);
    }

    [Fact]
    public async Task A_missing_secret_is_a_configuration_error()
    {
        var result = await CliRun.RunAsync(["reconcile", "--clerk-api-url", _clerk.BaseUrl.ToString(), "--ledger", _ledger], "",
            environment: new Dictionary<string, string?>());

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Contains("no Clerk secret key: set the CLERK_SECRET_KEY environment variable", result.Stderr);
        Assert.Equal(0, _clerk.RequestCount);
    }

    /// <summary>"reconcile" plus <paramref name="more"/>, with the sandbox and the test's ledger unless <paramref name="more"/> gives others.</summary>
    private Task<CliResult> ReconcileAsync(params string[] more) => RunAsync(["reconcile", .. more], "");

    private Task<CliResult> RunAsync(string[] args, string stdin)
    {
        string[] clerk = args.Contains("--clerk-api-url") ? [] : ["--clerk-api-url", _clerk.BaseUrl.ToString()];
        string[] ledger = args.Contains("--ledger") ? [] : ["--ledger", _ledger];
        return CliRun.RunAsync([.. args, .. clerk, .. ledger], stdin,
            configure: c => c with { Settings = new Dictionary<string, string?>(c.Settings) { ["Ledger:TableName"] = _table } });
    }

    private static IReadOnlyList<string?> Statuses(CliResult result) => [.. result.Lines.Select(l => l.GetProperty("status").GetString())];
}
