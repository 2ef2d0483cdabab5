using System.CommandLine;

namespace RoleSync.Cli;

/// <summary>
/// The <c>rolesync</c> command line: <c>validate</c>, <c>apply</c>, <c>reconcile</c> and <c>history</c>. <see cref="RunAsync"/> is the
/// whole program with its streams passed in, so it can run in-process with captured output.
/// </summary>
public static class RolesyncCli
{
    /// <summary>Runs one command line and returns its exit code (see <see cref="ExitCodes"/>).</summary>
    /// <param name="environment">Environment variables (CLERK_SECRET_KEY); null reads the process environment.</param>
    public static Task<int> RunAsync(
        string[] args,
        TextReader stdin,
        TextWriter stdout,
        TextWriter stderr,
        IDictionary<string, string?>? environment = null,
        CancellationToken ct = default)
    {
        Func<string, string?> getVariable = environment is null
            ? Environment.GetEnvironmentVariable
            : name => environment.TryGetValue(name, out var value) ? value : null;
        var context = new CliContext(stdin, stdout, stderr, getVariable)
        {
            ShowProgress = ReferenceEquals(stderr, Console.Error) && !Console.IsErrorRedirected && Console.IsOutputRedirected,
            EnvironmentSettings = CliEnvironment.Settings(environment ?? CliEnvironment.Process()),
        };
        return RunAsync(args, context, ct);
    }

    internal static async Task<int> RunAsync(string[] args, CliContext context, CancellationToken ct)
    {
        var root = new RootCommand("RoleSync: make Clerk organization roles match role-change messages.")
        {
            ValidateCommand.Create(context),
            ApplyCommand.Create(context),
            ReconcileCommand.Create(context),
            HistoryCommand.Create(context),
            HoldsCommand.Create(context),
        };
        var invocation = new InvocationConfiguration
        {
            Output = context.Stdout,
            Error = context.Stderr,
            ProcessTerminationTimeout = null, // Program.cs turns Ctrl+C into ct
        };
        return await root.Parse(args).InvokeAsync(invocation, ct).ConfigureAwait(false);
    }

    /// <summary>Runs a command body, turning <see cref="CliException"/> and cancellation into their exit codes.</summary>
    internal static async Task<int> GuardAsync(CliContext context, Func<Task<int>> body, CancellationToken ct)
    {
        try
        {
            return await body().ConfigureAwait(false);
        }
        catch (CliException ex)
        {
            await context.Stderr.WriteLineAsync($"rolesync: {ex.Message}").ConfigureAwait(false);
            return ExitCodes.UsageOrConfiguration;
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            await context.Stderr.WriteLineAsync("rolesync: canceled.").ConfigureAwait(false);
            return ExitCodes.Canceled;
        }
    }

    /// <summary>"1 message", "2 messages".</summary>
    internal static string Plural(int count, string noun) => count == 1 ? $"1 {noun}" : $"{count} {noun}s";
}
