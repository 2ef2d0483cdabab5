using RoleSync.Guard;

namespace RoleSync.Core.Tests.Guard;

/// <summary><c>Guard:*</c> is validated at start with messages naming the setting; the defaults are the issue's.</summary>
public sealed class GuardOptionsTests
{
    [Theory]
    [InlineData("Guard:MaxPerWindow", "0")]
    [InlineData("Guard:Window", "00:00:10")]
    [InlineData("Guard:RecheckInterval", "00:00:01")]
    [InlineData("Guard:TableName", "no-dashes")]
    public void A_wrong_setting_fails_start_up_naming_it(string key, string value)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = Environments.Development });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { [key] = value });
        builder.Services.AddSingleton<IGuardStore>(new InMemoryGuardStore());
        builder.AddRoleSyncGuard();
        using var host = builder.Build();

        var error = Assert.Throws<OptionsValidationException>(() => host.Services.GetRequiredService<IOptions<GuardOptions>>().Value);
        Assert.Contains(key, error.Message);
    }

    [Fact]
    public void Defaults_are_on_org_admin_ten_an_hour()
    {
        var options = new GuardOptions();

        Assert.True(options.Enabled);
        Assert.Equal(["org:admin"], options.EffectiveProtectedRoles);
        Assert.Equal(10, options.MaxPerWindow);
        Assert.Equal(TimeSpan.FromHours(1), options.Window);
        Assert.Equal("rolesyncguard", options.TableName);
    }

    [Fact]
    public void Configured_protected_roles_replace_the_default()
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = Environments.Development });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Guard:ProtectedRoles:0"] = "org:owner" });
        builder.Services.AddSingleton<IGuardStore>(new InMemoryGuardStore());
        builder.AddRoleSyncGuard();
        using var host = builder.Build();

        var options = host.Services.GetRequiredService<IOptions<GuardOptions>>().Value;

        Assert.Equal(["org:owner"], options.EffectiveProtectedRoles);
        Assert.False(options.IsProtected("org:admin"));
    }
}
