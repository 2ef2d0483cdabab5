using RoleSync.Quarantine;

namespace RoleSync.Core.Tests.Quarantine;

/// <summary><c>Quarantine:*</c> is validated at start with messages naming the setting; the defaults are the issue's.</summary>
public sealed class QuarantineOptionsTests
{
    [Theory]
    [InlineData("Quarantine:FailureRatio", "1.5")]
    [InlineData("Quarantine:MinCalls", "0")]
    [InlineData("Quarantine:ProbeSchedule:0", "00:00:00")]
    [InlineData("Quarantine:TableName", "no-dashes")]
    [InlineData("Quarantine:CacheDuration", "00:05:00")]
    public void A_wrong_setting_fails_start_up_naming_it(string key, string value)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = Environments.Development });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { [key] = value });
        builder.Services.AddSingleton<IQuarantineStore>(new InMemoryQuarantineStore());
        builder.AddRoleSyncQuarantine();
        using var host = builder.Build();

        var error = Assert.Throws<OptionsValidationException>(() => host.Services.GetRequiredService<IOptions<QuarantineOptions>>().Value);
        Assert.Contains(key.Split(':')[0] + ":" + key.Split(':')[1], error.Message);
    }

    [Fact]
    public void Defaults_are_on_half_of_fifty_calls_and_probes_at_1_2_5_15_30_minutes()
    {
        var options = new QuarantineOptions();

        Assert.True(options.Enabled);
        Assert.Equal(0.5, options.FailureRatio);
        Assert.Equal(50, options.MinCalls);
        Assert.Equal("rolesyncquarantine", options.TableName);
        Assert.Equal([1, 2, 5, 15, 30, 30, 30], Enumerable.Range(0, 7).Select(i => options.ProbeDelay(i).TotalMinutes));
    }
}
