namespace RoleSync.Cli.Tests;

public sealed class ValidateTests
{
    [Fact]
    public async Task Valid_messages_in_both_contract_forms_exit_0()
    {
        var stdin = Messages.Plain("evt-plain") + "\n" + Messages.CloudEvent("evt-cloud") + "\n";

        var result = await CliRun.RunAsync(["validate", "-"], stdin);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(["evt-plain", "evt-cloud"], result.Lines.Select(l => l.GetProperty("eventId").GetString()));
        Assert.All(result.Lines, l =>
        {
            Assert.True(l.GetProperty("valid").GetBoolean());
            Assert.Equal(0, l.GetProperty("errors").GetArrayLength());
        });
        Assert.Equal("{\"index\":1,\"eventId\":\"evt-plain\",\"valid\":true,\"errors\":[]}", result.Stdout.Split('\n')[0].TrimEnd('\r'));
        Assert.Contains("2 messages: 2 valid, 0 invalid", result.Stderr);
    }

    [Fact]
    public async Task Invalid_messages_are_listed_with_every_error_and_exit_2()
    {
        var stdin = string.Join("\n",
            Messages.Plain("evt-ok"),
            "",
            Messages.Plain("evt-bad", organizationId: "acme", role: "admin"),
            "{not json");

        var result = await CliRun.RunAsync(["validate", "-"], stdin);

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Equal([1, 3, 4], result.Lines.Select(l => l.GetProperty("index").GetInt32()));
        Assert.Equal([true, false, false], result.Lines.Select(l => l.GetProperty("valid").GetBoolean()));
        var errors = result.Lines[1].GetProperty("errors").EnumerateArray().Select(e => e.GetString()!).ToList();
        Assert.Equal(2, errors.Count);
        Assert.Contains(errors, e => e.StartsWith("organizationId:", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("role:", StringComparison.Ordinal));
        Assert.Equal("evt-bad", result.Lines[1].GetProperty("eventId").GetString());
        Assert.Equal(JsonValueKind.Null, result.Lines[2].GetProperty("eventId").ValueKind);
        Assert.StartsWith("body:", result.Lines[2].GetProperty("errors")[0].GetString());
        Assert.Contains("3 messages: 1 valid, 2 invalid", result.Stderr);
    }

    [Fact]
    public async Task The_sample_file_has_two_role_names_that_only_a_mapping_makes_valid()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "samples", "role-changes.jsonl");

        var result = await CliRun.RunAsync("validate", path);
        var mapped = await CliRun.RunAsync(["validate", path], "", Samples.Environment);

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Equal(15, result.Lines.Count);
        Assert.Equal([8, 14], result.Lines.Where(l => !l.GetProperty("valid").GetBoolean()).Select(l => l.GetProperty("index").GetInt32()));
        Assert.True(mapped.ExitCode == 0, mapped.ToString());
    }
}
