namespace RoleSync.Cli.Tests;

public sealed class SecretTests
{
    private static string[] EveryKindOfMessage =>
    [
        Messages.Plain("evt-1", At(1), userId: MemberId, role: "org:admin"),
        Messages.Plain("evt-0", At(0), userId: MemberId, role: "org:billing"),
        Messages.Plain("evt-2", At(1), userId: StrangerId, role: "org:admin"),
        Messages.Plain("evt-3", At(1), userId: AdminId, role: "org:owner"),
        "not json",
    ];

    [Fact]
    public async Task The_secret_never_appears_in_stdout_or_stderr()
    {
        const string secret = "sk_test_fake_cli_secret_never_printed";
        await using var clerk = await StartAsync(o => { o.SecretKeys.Clear(); o.SecretKeys.Add(secret); });
        var environment = new Dictionary<string, string?> { ["CLERK_SECRET_KEY"] = secret };
        string[] args = ["apply", "-", "--clerk-api-url", clerk.BaseUrl.ToString()];

        var applied = await CliRun.RunAsync(args, string.Join("\n", EveryKindOfMessage), environment);
        var planned = await CliRun.RunAsync([.. args, "--dry-run"], string.Join("\n", EveryKindOfMessage), environment);
        clerk.SetSecretKeys("sk_test_rotated");
        var unauthorized = await CliRun.RunAsync([.. args, "--max-attempts", "2"], string.Join("\n", EveryKindOfMessage), environment);

        Assert.Equal(["applied", "stale", "rejected", "rejected", "rejected"], applied.Outcomes);
        Assert.Equal(["unchanged", "stale", "not-found", "would-apply", "rejected"], planned.Outcomes);
        Assert.Equal(["failed", "stale", "failed", "failed", "rejected"], unauthorized.Outcomes);
        Assert.Contains("ClerkUnauthorized", unauthorized.Stdout);
        foreach (var run in new[] { applied, planned, unauthorized })
        {
            Assert.DoesNotContain("fake_cli_secret_never_printed", run.Stdout + run.Stderr);
        }
    }

    [Fact]
    public async Task Key_Vault_supplies_the_secret_when_given()
    {
        await using var clerk = await StartAsync();
        await using var vault = await KeyVaultFake.KeyVaultFake.StartAsync();
        vault.SetSecret("rolesync-clerk", CliRun.SecretKey);

        var result = await CliRun.RunAsync(
            ["apply", "-", "--clerk-api-url", clerk.BaseUrl.ToString(), "--key-vault-uri", vault.VaultUri.ToString(), "--secret-name", "rolesync-clerk"],
            Messages.Plain("evt-1", userId: MemberId, role: "org:admin"),
            environment: new Dictionary<string, string?>(),
            configure: c => c with { SecretClient = vault.CreateClient() });

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(["applied"], result.Outcomes);
        Assert.Equal(1, vault.SecretReads);
        Assert.DoesNotContain(CliRun.SecretKey, result.Stdout + result.Stderr);
    }

    [Fact]
    public async Task An_unreadable_Key_Vault_secret_is_a_configuration_error()
    {
        await using var clerk = await StartAsync();
        await using var vault = await KeyVaultFake.KeyVaultFake.StartAsync();

        var result = await CliRun.RunAsync(
            ["apply", "-", "--clerk-api-url", clerk.BaseUrl.ToString(), "--key-vault-uri", vault.VaultUri.ToString(), "--secret-name", "absent"],
            Messages.Plain("evt-1", userId: MemberId, role: "org:admin"),
            configure: c => c with { SecretClient = vault.CreateClient() });

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Contains("secret 'absent'", result.Stderr);
        Assert.Contains("does not exist", result.Stderr);
        Assert.Equal("", result.Stdout);
        Assert.Equal(0, clerk.RequestCount);
    }
}
