using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using RoleSync.Processing;
using RoleSync.Secrets;

namespace RoleSync.Cli;

/// <summary>
/// <c>rolesync apply &lt;file|-&gt;</c>: applies (or, with --dry-run, plans) every message with the core's
/// <see cref="RoleChangeProcessor"/>; one JSON line per message on stdout, in input order; a summary on stderr.
/// </summary>
/// <remarks>
/// Retry budget: the core's in-process HTTP retries are off (Clerk:MaxRetryAttempts = 0), so each attempt is one Clerk
/// call per change and --max-attempts (default 5) is the whole budget per message, spaced by Retry-After or a 250 ms
/// doubling backoff (250 ms, 0.5 s, 1 s, 2 s between five attempts).
/// </remarks>
internal static class ApplyCommand
{
    /// <summary>The CLI owns retries (--max-attempts); see the remarks on this class.</summary>
    private static readonly IReadOnlyDictionary<string, string?> CoreSettings = new Dictionary<string, string?> { ["Clerk:MaxRetryAttempts"] = "0" };

    private sealed record Arguments(string Input, bool DryRun, ConnectionArguments Connection, bool NoLedger, int Concurrency, int MaxAttempts);

    public static Command Create(CliContext context)
    {
        var input = new Argument<string>("input") { Description = "JSON Lines file, one role-change message per line (either contract form); - reads stdin." };
        var dryRun = new Option<bool>("--dry-run") { Description = "Send no PATCH: read the current memberships and report would-apply, unchanged or rejected." };
        var connection = new ConnectionOptions(
            "Azure Table Storage connection string of the membership ledger (e.g. Azurite's); default: an in-memory ledger for this run.", ledgerRequired: false);
        var noLedger = new Option<bool>("--no-ledger") { Description = "Use an in-memory ledger even with a production (sk_live_) key, which otherwise needs --ledger." };
        noLedger.Validators.Add(result =>
        {
            if (!result.Implicit && result.GetResult(connection.Ledger) is not null)
            {
                result.AddError("--no-ledger and --ledger cannot be used together.");
            }
        });
        var concurrency = new Option<int>("--concurrency") { Description = "Messages processed at the same time (1-64).", DefaultValueFactory = _ => 4, HelpName = "N" };
        var maxAttempts = new Option<int>("--max-attempts") { Description = "Attempts per message when Clerk fails transiently (1-20); then the message is reported failed.", DefaultValueFactory = _ => 5, HelpName = "N" };
        AddRange(concurrency, 1, 64);
        AddRange(maxAttempts, 1, 20);

        var command = new Command("apply", "Apply every message to Clerk (exit 0: all applied/stale/duplicate/would-apply/unchanged, 2: some rejected or failed).")
        {
            input, dryRun,
        };
        connection.AddTo(command);
        command.Options.Add(noLedger);
        command.Options.Add(concurrency);
        command.Options.Add(maxAttempts);
        command.SetAction((parse, ct) => RolesyncCli.GuardAsync(context, () => RunAsync(context, new Arguments(
            parse.GetRequiredValue(input),
            parse.GetValue(dryRun),
            connection.Read(parse),
            parse.GetValue(noLedger),
            parse.GetValue(concurrency),
            parse.GetValue(maxAttempts)), ct), ct));
        return command;
    }

    /// <summary>A range check for an explicit value (a value that is not a number is reported by the parser itself).</summary>
    internal static void AddRange(Option option, int min, int max) => option.Validators.Add(result =>
    {
        if (result.Tokens is [var token]
            && int.TryParse(token.Value, NumberStyles.Integer, CultureInfo.InvariantCulture, out int value)
            && (value < min || value > max))
        {
            result.AddError($"{option.Name} must be from {min} to {max}, not {value}.");
        }
    });

    private static async Task<int> RunAsync(CliContext context, Arguments args, CancellationToken ct)
    {
        var settings = CliHost.Configure(context, args.Connection, CoreSettings);
        using var file = InputLines.OpenFile(args.Input);
        using var host = await CliHost.StartAsync(context, settings, durableLedger: args.Connection.Ledger is not null, ct).ConfigureAwait(false);
        await RefuseLiveKeyWithoutLedgerAsync(host.Services, args, ct).ConfigureAwait(false);

        var processor = host.Services.GetRequiredService<RoleChangeProcessor>();
        Func<Contract.RoleChange, CancellationToken, Task<ProcessingResult>> process = args.DryRun
            ? new DryRunPlanner(processor).PlanAsync
            : processor.ProcessAsync;
        var runner = new ApplyRunner(process, args.Concurrency, args.MaxAttempts, context.RetryBaseDelay, context.TimeProvider);

        var tally = new RunTally();
        var started = context.TimeProvider.GetTimestamp();
        using var progressStop = new CancellationTokenSource();
        var progress = context.ShowProgress
            ? tally.ShowProgressAsync(context.Stderr, context.TimeProvider, progressStop.Token)
            : Task.CompletedTask;
        try
        {
            await runner.RunAsync(InputLines.ReadAsync(file ?? context.Stdin, args.Input, ct), async (line, result) =>
            {
                tally.Add(result.Outcome);
                var output = ApplyLine.From(line, result);
                await context.Stdout.WriteLineAsync(JsonSerializer.Serialize(output, CliJsonContext.Output.ApplyLine)).ConfigureAwait(false);
            }, ct).ConfigureAwait(false);
        }
        finally
        {
            await progressStop.CancelAsync().ConfigureAwait(false);
            await progress.ConfigureAwait(false);
            await context.Stdout.FlushAsync(CancellationToken.None).ConfigureAwait(false);
        }

        var elapsed = context.TimeProvider.GetElapsedTime(started).TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture);
        await context.Stderr.WriteLineAsync($"rolesync apply{(args.DryRun ? " --dry-run" : "")}: {tally.Describe()} ({elapsed} s)").ConfigureAwait(false);
        return tally.AllSettledWell ? ExitCodes.Success : ExitCodes.SomeMessagesNotApplied;
    }

    /// <summary>
    /// A production key (<c>sk_live_</c>) with the in-memory ledger could undo what the deployed app applied: the run
    /// knows nothing of the app's newer changes. So it needs the app's <c>--ledger</c>, or <c>--no-ledger</c> to say the
    /// in-memory one is meant. A dry run sends no PATCH and is let through.
    /// </summary>
    private static async Task RefuseLiveKeyWithoutLedgerAsync(IServiceProvider services, Arguments args, CancellationToken ct)
    {
        if (args.DryRun || args.Connection.Ledger is not null || args.NoLedger)
        {
            return;
        }
        ClerkSecret secret;
        try
        {
            secret = await services.GetRequiredService<IClerkSecretProvider>().GetAsync(ct).ConfigureAwait(false);
        }
        catch (ClerkSecretUnavailableException ex)
        {
            throw new CliException(ex.Message);
        }
        if (secret.IsLive)
        {
            throw new CliException(
                "the Clerk secret key is a production key (sk_live_…) and no --ledger is given: an in-memory ledger knows nothing of what " +
                "the deployed app applied, so this run could undo newer changes. Pass --ledger CONNECTION_STRING|TABLE_SERVICE_URI " +
                "(the app's ledger), or --no-ledger to use an in-memory ledger anyway.");
        }
    }
}
