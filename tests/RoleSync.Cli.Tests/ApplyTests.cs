namespace RoleSync.Cli.Tests;

public sealed class ApplyTests
{
    [Fact]
    public async Task Every_outcome_is_reported_once_per_message_in_input_order()
    {
        await using var clerk = await StartAsync();
        string[] lines =
        [
            Messages.Plain("evt-promote", At(1), userId: MemberId, role: "org:admin"),
            "",
            "this is not json",
            Messages.Plain("evt-newer", At(10), userId: Member2Id, role: "org:billing"),
            Messages.Plain("evt-older", At(5), userId: Member2Id, role: "org:admin"),
            Messages.Plain("evt-promote", At(1), userId: MemberId, role: "org:admin"),
            Messages.Plain("evt-stranger", At(2), userId: StrangerId, role: "org:member"),
            Messages.Plain("evt-no-such-role", At(3), userId: AdminId, role: "org:owner"),
            Messages.CloudEvent("evt-cloud", At(4), userId: AdminId, role: "org:admin"),
        ];

        var result = await CliRun.ApplyAsync(clerk, lines);

        Assert.True(result.ExitCode == 2, result.ToString());
        var output = result.Lines;
        Assert.Equal([1, 3, 4, 5, 6, 7, 8, 9], output.Select(l => l.GetProperty("index").GetInt32()));
        Assert.Equal(["applied", "rejected", "applied", "stale", "duplicate", "rejected", "rejected", "applied"], result.Outcomes);
        Assert.Equal([null, "InvalidMessage", null, null, null, "MembershipNotFound", "RoleNotFound", null],
            output.Select(l => l.GetProperty("reason").GetString()));
        Assert.Equal(["evt-promote", null, "evt-newer", "evt-older", "evt-promote", "evt-stranger", "evt-no-such-role", "evt-cloud"],
            output.Select(l => l.GetProperty("eventId").GetString()));

        var applied = output[0];
        Assert.Equal(OrgId, applied.GetProperty("organizationId").GetString());
        Assert.Equal(MemberId, applied.GetProperty("userId").GetString());
        Assert.Equal("org:admin", applied.GetProperty("role").GetString());
        Assert.Equal(JsonValueKind.Null, applied.GetProperty("reason").ValueKind);
        Assert.Equal(JsonValueKind.Null, applied.GetProperty("detail").ValueKind);
        Assert.Equal(JsonValueKind.Null, output[1].GetProperty("organizationId").ValueKind);
        Assert.Contains("not valid JSON", output[1].GetProperty("detail").GetString());
        Assert.Contains("evt-newer", output[3].GetProperty("detail").GetString());

        Assert.Equal("org:admin", clerk.GetRole(OrgId, MemberId));
        Assert.Equal("org:billing", clerk.GetRole(OrgId, Member2Id));
        Assert.Equal("org:admin", clerk.GetRole(OrgId, AdminId));
        Assert.Contains("rolesync apply: 8 messages: 3 applied, 1 stale, 1 duplicate, 3 rejected", result.Stderr);
    }

    [Fact]
    public async Task Exit_code_is_zero_when_every_message_is_applied_stale_or_duplicate()
    {
        await using var clerk = await StartAsync();
        var result = await CliRun.ApplyAsync(clerk,
        [
            Messages.Plain("evt-2", At(2), userId: MemberId, role: "org:billing"),
            Messages.Plain("evt-1", At(1), userId: MemberId, role: "org:admin"),
            Messages.Plain("evt-2", At(2), userId: MemberId, role: "org:billing"),
        ]);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(["applied", "stale", "duplicate"], result.Outcomes);
        Assert.Equal("org:billing", clerk.GetRole(OrgId, MemberId));
        Assert.Equal(1, clerk.PatchCount);
    }

    [Fact]
    public async Task Reads_a_file()
    {
        await using var clerk = await StartAsync();
        var path = Path.Combine(Path.GetTempPath(), $"rolesync-{Guid.NewGuid():N}.jsonl");
        await File.WriteAllTextAsync(path, Messages.Plain("evt-file", userId: MemberId, role: "org:billing") + "\n");
        try
        {
            var result = await CliRun.RunAsync("apply", path, "--clerk-api-url", clerk.BaseUrl.ToString());

            Assert.True(result.ExitCode == 0, result.ToString());
            Assert.Equal(["applied"], result.Outcomes);
            Assert.Equal("org:billing", clerk.GetRole(OrgId, MemberId));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task Reads_stdin_for_dash()
    {
        await using var clerk = await StartAsync();
        var stdin = Messages.Plain("evt-a", At(1), userId: MemberId, role: "org:admin") + "\r\n\r\n"
            + Messages.CloudEvent("evt-b", At(1), userId: Member2Id, role: "org:billing");

        var result = await CliRun.RunAsync(["apply", "-", "--clerk-api-url", clerk.BaseUrl.ToString()], stdin);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(["applied", "applied"], result.Outcomes);
        Assert.Equal([1, 3], result.Lines.Select(l => l.GetProperty("index").GetInt32()));
        Assert.Equal("org:admin", clerk.GetRole(OrgId, MemberId));
        Assert.Equal("org:billing", clerk.GetRole(OrgId, Member2Id));
    }

    [Fact]
    public async Task Malformed_lines_are_rejected_and_the_run_continues()
    {
        await using var clerk = await StartAsync();
        string[] lines =
        [
            "{",
            "[]",
            "null",
            "{\"eventId\": 7}",
            "   ",
            Messages.Plain("evt-ok", userId: MemberId, role: "org:admin"),
            Messages.Plain("evt-bad-org", organizationId: "acme", userId: MemberId, role: "org:admin"),
        ];

        var result = await CliRun.ApplyAsync(clerk, lines);

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Equal(["rejected", "rejected", "rejected", "rejected", "applied", "rejected"], result.Outcomes);
        Assert.Equal([1, 2, 3, 4, 6, 7], result.Lines.Select(l => l.GetProperty("index").GetInt32()));
        Assert.All(result.Lines.Where(l => l.GetProperty("outcome").GetString() == "rejected"),
            l => Assert.Equal("InvalidMessage", l.GetProperty("reason").GetString()));
        Assert.Equal("evt-bad-org", result.Lines[5].GetProperty("eventId").GetString());
        Assert.Contains("organizationId", result.Lines[5].GetProperty("detail").GetString());
        Assert.Equal("org:admin", clerk.GetRole(OrgId, MemberId));
        Assert.Equal(1, clerk.PatchCount);
    }

    [Fact]
    public async Task Empty_input_succeeds_with_no_output()
    {
        await using var clerk = await StartAsync();

        var result = await CliRun.RunAsync(["apply", "-", "--clerk-api-url", clerk.BaseUrl.ToString()], "\n\n");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("", result.Stdout);
        Assert.Contains("0 messages", result.Stderr);
        Assert.Equal(0, clerk.RequestCount);
    }

    [Fact]
    public async Task Concurrent_run_keeps_output_order_and_applies_one_membership_in_input_order()
    {
        await using var clerk = await StartAsync();
        clerk.Latency = TimeSpan.FromMilliseconds(20);
        string[] roles = ["org:admin", "org:billing", "org:member", "org:admin", "org:billing", "org:member"];
        var lines = new List<string>();
        for (int i = 0; i < roles.Length; i++)
        {
            lines.Add(Messages.Plain($"evt-m-{i}", At(i), userId: MemberId, role: roles[i]));
            lines.Add(Messages.Plain($"evt-n-{i}", At(i), userId: Member2Id, role: roles[^(i + 1)]));
        }

        var result = await CliRun.ApplyAsync(clerk, lines, "--concurrency", "8");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(Enumerable.Range(1, lines.Count), result.Lines.Select(l => l.GetProperty("index").GetInt32()));
        Assert.All(result.Outcomes, outcome => Assert.Equal("applied", outcome));
        var memberPatches = clerk.Requests
            .Where(r => r.Method == "PATCH" && r.Path.EndsWith(MemberId, StringComparison.Ordinal))
            .Select(r => JsonDocument.Parse(r.Body).RootElement.GetProperty("role").GetString());
        Assert.Equal(roles, memberPatches);
        Assert.Equal("org:member", clerk.GetRole(OrgId, MemberId));
        Assert.Equal("org:admin", clerk.GetRole(OrgId, Member2Id));
    }
}
