using RoleSync.History;

namespace RoleSync.Functions.Tests;

/// <summary>The app's membership history and submission queue: in Table Storage next to the ledger, on the role-changes queue; bad settings fail at start, by name.</summary>
public sealed class HistoryCompositionTests
{
    [Fact]
    public void The_history_is_a_table_next_to_the_ledger_and_submissions_go_to_the_queue()
    {
        using var host = TestHost.Build(Settings(), Environments.Development);

        host.Services.GetRequiredService<IStartupValidator>().Validate();
        Assert.IsType<TableMembershipHistory>(host.Services.GetRequiredService<IMembershipHistory>());
        Assert.IsType<ServiceBusRoleChangeQueue>(host.Services.GetRequiredService<IRoleChangeQueue>());
        var options = host.Services.GetRequiredService<IOptions<HistoryOptions>>().Value;
        Assert.Equal(("rolesynchistory", 400), (options.TableName, options.RetentionDays));
    }

    [Theory]
    [InlineData("History:RetentionDays", "0", "History:RetentionDays")]
    [InlineData("History:TableName", "no-dashes", "History:TableName")]
    public void Invalid_history_settings_fail_at_start_naming_the_setting(string key, string value, string named)
    {
        var settings = Settings();
        settings[key] = value;
        using var host = TestHost.Build(settings, Environments.Development);

        var error = Assert.ThrowsAny<Exception>(() => host.Services.GetRequiredService<IStartupValidator>().Validate());
        Assert.Contains(named, error.Message);
    }

    private static Dictionary<string, string?> Settings()
    {
        var settings = TestHost.LocalSettings("http://127.0.0.1:9");
        settings["Reconcile:Schedule"] = ReconcileOptions.DefaultSchedule;
        return settings;
    }
}
