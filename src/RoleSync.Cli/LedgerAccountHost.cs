using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace RoleSync.Cli;

/// <summary>
/// A host over the ledger's storage account only (given by <c>--ledger</c>), with no Clerk client (no key needed): for
/// the commands that read tables next to the ledger (<c>history</c>, <c>holds</c>).
/// </summary>
internal static class LedgerAccountHost
{
    /// <summary>The ledger's Table adapter as the core registers it, plus what <paramref name="configure"/> adds.</summary>
    public static IHost Build(CliContext context, string ledger, Action<HostApplicationBuilder> configure)
    {
        var settings = new Dictionary<string, string?>([CliHost.LedgerSetting(ledger)]);
        foreach (var (name, value) in context.Settings)
        {
            settings[name] = value;
        }
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true, EnvironmentName = Environments.Production });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.AddRoleSyncTableLedger();
        configure(builder);
        return builder.Build();
    }

    /// <summary><paramref name="resolve"/>'s service, with invalid options and a bad <c>--ledger</c> as <see cref="CliException"/>s.</summary>
    public static T Resolve<T>(Func<T> resolve)
    {
        ArgumentNullException.ThrowIfNull(resolve);
        try
        {
            return resolve();
        }
        catch (OptionsValidationException ex)
        {
            throw new CliException("invalid configuration: " + string.Join(" ", ex.Failures));
        }
        catch (Exception ex) when (ex is FormatException or ArgumentException or InvalidOperationException or System.Reflection.TargetInvocationException)
        {
            throw new CliException($"--ledger is not a valid Azure Table Storage connection string or table service URI ({ex.GetType().Name}).");
        }
    }
}
