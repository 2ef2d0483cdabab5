using System.Collections;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using RoleSync.Lifecycle;

namespace RoleSync.Cli;

/// <summary>
/// The core settings the CLI takes from environment variables, named as app settings are in the Functions app
/// (<c>Membership__CreateMissing=true rolesync apply …</c>): every variable under the sections <c>Membership</c>,
/// <c>Roles</c> and <c>Users</c>. Other variables are not read (only <c>CLERK_SECRET_KEY</c>, by <see cref="CliHost"/>).
/// </summary>
internal static class CliEnvironment
{
    private static readonly string[] Sections = ["Membership", "Roles", "Users"];

    /// <summary>The process environment.</summary>
    public static IDictionary<string, string?> Process()
    {
        var variables = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        foreach (DictionaryEntry entry in Environment.GetEnvironmentVariables())
        {
            variables[(string)entry.Key] = entry.Value as string;
        }
        return variables;
    }

    /// <summary>The variables under <see cref="Sections"/>, as configuration keys ("__" becomes ":").</summary>
    public static IReadOnlyDictionary<string, string?> Settings(IDictionary<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        var settings = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, value) in environment)
        {
            var key = name.Replace("__", ConfigurationPath.KeyDelimiter, StringComparison.Ordinal);
            if (Sections.Any(section => key.StartsWith(section + ConfigurationPath.KeyDelimiter, StringComparison.OrdinalIgnoreCase)))
            {
                settings[key] = value;
            }
        }
        return settings;
    }

    /// <summary>The role mapping from the environment (for <c>validate</c>, which builds no host); invalid: a <see cref="CliException"/> naming the setting.</summary>
    public static RoleMapper RoleMapper(CliContext context)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(context.EnvironmentSettings.Concat(context.Settings)).Build();
        var options = new RoleMappingOptions();
        configuration.GetSection(RoleMappingOptions.SectionName).Bind(options);
        var check = new RoleMappingOptionsValidator().Validate(null, options);
        if (check.Failed)
        {
            throw new CliException("invalid configuration: " + string.Join(" ", check.Failures));
        }
        return new RoleMapper(Options.Create(options));
    }
}
