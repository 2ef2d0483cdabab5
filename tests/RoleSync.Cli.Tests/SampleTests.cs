namespace RoleSync.Cli.Tests;

public sealed class SampleTests
{
    [Fact]
    public async Task The_samples_apply_against_the_sample_seed()
    {
        await using var sandbox = await Samples.StartSandboxAsync();

        var applied = await CliRun.RunAsync("apply", Samples.RoleChangesPath, "--clerk-api-url", sandbox.BaseUrl.ToString());

        Assert.True(applied.ExitCode == 2, applied.ToString());
        Assert.Equal(Samples.Outcomes, applied.Outcomes);
        Assert.Equal(Samples.Reasons, applied.Lines.Select(l => l.GetProperty("reason").GetString()));
    }
}
