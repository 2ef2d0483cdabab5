using Azure.Security.KeyVault.Secrets;

namespace RoleSync.Cli;

/// <summary>Everything a command takes from its surroundings: streams, environment, clock. Tests replace the internal knobs.</summary>
internal sealed record CliContext(TextReader Stdin, TextWriter Stdout, TextWriter Stderr, Func<string, string?> GetEnvironmentVariable)
{
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>Show a progress line on stderr (stderr is a terminal and stdout is not).</summary>
    public bool ShowProgress { get; init; }

    /// <summary>First delay of the exponential backoff between attempts when Clerk gives no Retry-After.</summary>
    public TimeSpan RetryBaseDelay { get; init; } = TimeSpan.FromMilliseconds(250);

    /// <summary>Extra configuration keys for the core (e.g. "Clerk:RequestsPer10Seconds"), applied last.</summary>
    public IReadOnlyDictionary<string, string?> Settings { get; init; } = new Dictionary<string, string?>();

    /// <summary>
    /// The core settings taken from environment variables (<c>Membership__CreateMissing</c>, <c>Roles__Map__Manager</c>,
    /// <c>Users__CacheDuration</c>, …, see <see cref="CliEnvironment"/>), as configuration keys; applied before <see cref="Settings"/>.
    /// </summary>
    public IReadOnlyDictionary<string, string?> EnvironmentSettings { get; init; } = new Dictionary<string, string?>();

    /// <summary>Key Vault client to use instead of one with DefaultAzureCredential (tests: the Key Vault fake).</summary>
    public SecretClient? SecretClient { get; init; }
}

/// <summary>A usage, configuration or input-file problem: printed on stderr, exit code 1.</summary>
internal sealed class CliException(string message) : Exception(message);
