namespace RoleSync.Cli.Tests;

public sealed class SampleTests
{
    [Fact]
    public async Task The_samples_apply_against_the_sample_seed()
    {
        await using var sandbox = await Samples.StartSandboxAsync();

        var applied = await CliRun.RunAsync(["apply", Samples.RoleChangesPath, "--clerk-api-url", sandbox.BaseUrl.ToString()], "",
            new Dictionary<string, string?>(Samples.Environment) { ["CLERK_SECRET_KEY"] = CliRun.SecretKey });

        Assert.True(applied.ExitCode == 2, applied.ToString());
        Assert.Equal(Samples.Outcomes, applied.Outcomes);
        Assert.Equal(Samples.Reasons, applied.Lines.Select(l => l.GetProperty("reason").GetString()));
        Assert.Equal("org:member", sandbox.GetRole("org_2YK0fFWqcajQLE9WVxuXbrFZmU3", "user_2Jn7rQx4WmYb8TzKp3LcVd5HsAe")); // the joiner
        Assert.Equal("org:admin", sandbox.GetRole("org_2A6IIRgmKJSZUqQZNRf2BvfxZAZ", "user_2Yk70sJaNC9dlbNXKhRTxx8F2Ld")); // Manager
        Assert.Null(sandbox.GetRole("org_2YK0fFWqcajQLE9WVxuXbrFZmU3", "user_2CCY1yYeHBEtT0A8fmVRrCFUY9l")); // the leaver
    }
}
