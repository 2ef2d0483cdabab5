using System.CommandLine;
using System.Globalization;
using System.Reflection;
using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using RoleSync.Ledger;
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
    public const string SecretKeyVariable = "CLERK_SECRET_KEY";

    private sealed record Arguments(
        string Input, bool DryRun, string? ClerkApiUrl, string? KeyVaultUri, string? SecretName, string? Ledger, bool NoLedger, int Concurrency, int MaxAttempts);

    public static Command Create(CliContext context)
    {
        var input = new Argument<string>("input") { Description = "JSON Lines file, one role-change message per line (either contract form); - reads stdin." };
        var dryRun = new Option<bool>("--dry-run") { Description = "Send no PATCH: read the current memberships and report would-apply, unchanged or rejected." };
        var clerkApiUrl = new Option<string>("--clerk-api-url") { Description = "Clerk Backend API base URL (default https://api.clerk.com), e.g. the sandbox's http://127.0.0.1:5111.", HelpName = "URL" };
        var keyVaultUri = new Option<string>("--key-vault-uri") { Description = $"Read the Clerk secret key from this Azure Key Vault (DefaultAzureCredential) instead of {SecretKeyVariable}.", HelpName = "URI" };
        var secretName = new Option<string>("--secret-name") { Description = "Name of the Key Vault secret holding the Clerk secret key (default clerk-secret-key).", HelpName = "NAME" };
        var ledger = new Option<string>("--ledger") { Description = "Azure Table Storage connection string of the membership ledger (e.g. Azurite's); default: an in-memory ledger for this run.", HelpName = "CONNECTION_STRING" };
        var noLedger = new Option<bool>("--no-ledger") { Description = "Use an in-memory ledger even with a production (sk_live_) key, which otherwise needs --ledger." };
        var concurrency = new Option<int>("--concurrency") { Description = "Messages processed at the same time (1-64).", DefaultValueFactory = _ => 4, HelpName = "N" };
        var maxAttempts = new Option<int>("--max-attempts") { Description = "Attempts per message when Clerk fails transiently (1-20); then the message is reported failed.", DefaultValueFactory = _ => 5, HelpName = "N" };
        AddRange(concurrency, 1, 64);
        AddRange(maxAttempts, 1, 20);
        secretName.Validators.Add(result =>
        {
            if (result.GetResult(keyVaultUri) is null)
            {
                result.AddError("--secret-name needs --key-vault-uri.");
            }
        });
        noLedger.Validators.Add(result =>
        {
            if (!result.Implicit && result.GetResult(ledger) is not null)
            {
                result.AddError("--no-ledger and --ledger cannot be used together.");
            }
        });

        var command = new Command("apply", "Apply every message to Clerk (exit 0: all applied/stale/duplicate/would-apply/unchanged, 2: some rejected or failed).")
        {
            input, dryRun, clerkApiUrl, keyVaultUri, secretName, ledger, noLedger, concurrency, maxAttempts,
        };
        command.SetAction((parse, ct) => RolesyncCli.GuardAsync(context, () => RunAsync(context, new Arguments(
            parse.GetRequiredValue(input),
            parse.GetValue(dryRun),
            parse.GetValue(clerkApiUrl),
            parse.GetValue(keyVaultUri),
            parse.GetValue(secretName),
            parse.GetValue(ledger),
            parse.GetValue(noLedger),
            parse.GetValue(concurrency),
            parse.GetValue(maxAttempts)), ct), ct));
        return command;
    }

    /// <summary>A range check for an explicit value (a value that is not a number is reported by the parser itself).</summary>
    internal static void AddRange(Option<int> option, int min, int max) => option.Validators.Add(result =>
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
        var settings = Configure(context, args);
        using var file = InputLines.OpenFile(args.Input);
        using var host = BuildHost(context, settings, durableLedger: args.Ledger is not null);
        var services = host.Services;
        await CheckConfigurationAsync(services, args.Ledger is not null, ct).ConfigureAwait(false);
        await RefuseLiveKeyWithoutLedgerAsync(services, args, ct).ConfigureAwait(false);

        var processor = services.GetRequiredService<RoleChangeProcessor>();
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

    /// <summary>The core's "Clerk" configuration from the arguments and the environment. Never prints the secret.</summary>
    private static Dictionary<string, string?> Configure(CliContext context, Arguments args)
    {
        var settings = new Dictionary<string, string?>
        {
            // The CLI owns retries (--max-attempts); see the remarks on this class.
            ["Clerk:MaxRetryAttempts"] = "0",
        };
        if (args.ClerkApiUrl is { } url)
        {
            if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
            {
                throw new CliException($"--clerk-api-url must be an absolute http(s) URL such as https://api.clerk.com, not '{url}'.");
            }
            settings["Clerk:ApiUrl"] = uri.AbsoluteUri;
        }
        if (args.KeyVaultUri is { } vault)
        {
            if (!Uri.TryCreate(vault, UriKind.Absolute, out var uri) || uri.Scheme != Uri.UriSchemeHttps)
            {
                throw new CliException($"--key-vault-uri must be an https URL such as https://my-vault.vault.azure.net/, not '{vault}'.");
            }
            settings["Clerk:KeyVaultUri"] = uri.AbsoluteUri;
            if (args.SecretName is { } name)
            {
                settings["Clerk:SecretName"] = name;
            }
        }
        else
        {
            var key = context.GetEnvironmentVariable(SecretKeyVariable);
            if (string.IsNullOrWhiteSpace(key))
            {
                throw new CliException(
                    $"no Clerk secret key: set the {SecretKeyVariable} environment variable (sk_test_… or sk_live_…, from the Clerk Dashboard's API keys page), " +
                    "or pass --key-vault-uri (and --secret-name) to read it from Azure Key Vault.");
            }
            if (!new ClerkSecret(key).LooksLikeClerkKey)
            {
                throw new CliException($"{SecretKeyVariable} does not look like a Clerk secret key (expected sk_test_… or sk_live_…).");
            }
            settings["Clerk:SecretKey"] = key;
        }
        if (args.Ledger is { } ledger)
        {
            // A table service URI is reached with DefaultAzureCredential; anything else is a connection string.
            var isServiceUri = Uri.TryCreate(ledger, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp);
            settings[isServiceUri ? "Ledger:TableServiceUri" : "Ledger:ConnectionString"] = ledger;
        }
        foreach (var (name, value) in context.Settings)
        {
            settings[name] = value;
        }
        return settings;
    }

    /// <summary>
    /// The core as every edge builds it (<see cref="RoleSyncCoreExtensions"/>), configured only by
    /// <paramref name="settings"/>. <c>DisableDefaults</c>: the default host would log to the console (stdout carries the
    /// JSON lines) and read appsettings files from the working directory.
    /// </summary>
    private static IHost BuildHost(CliContext context, Dictionary<string, string?> settings, bool durableLedger)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true, EnvironmentName = Environments.Production });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Services.AddSingleton(context.TimeProvider);
        builder.AddRoleSyncCore(allowLiteralSecretKey: true); // CLERK_SECRET_KEY: the CLI runs as a person, not a deployment
        if (durableLedger)
        {
            builder.AddRoleSyncTableLedger();
        }
        else
        {
            builder.Services.AddSingleton<IMembershipLedger>(new InMemoryMembershipLedger());
        }
        if (context.SecretClient is { } secretClient)
        {
            builder.Services.AddSingleton(secretClient);
        }
        return builder.Build();
    }

    /// <summary>
    /// Configuration errors end the run before any message: invalid options, an unreadable Key Vault secret, a ledger
    /// that cannot be reached. (Otherwise every message would fail the same way, slowly, after all its attempts.)
    /// </summary>
    private static async Task CheckConfigurationAsync(IServiceProvider services, bool durableLedger, CancellationToken ct)
    {
        try
        {
            services.GetRequiredService<IStartupValidator>().Validate();
        }
        catch (Exception ex) when (ex is OptionsValidationException or AggregateException)
        {
            var failures = ex is AggregateException all ? all.InnerExceptions.OfType<OptionsValidationException>().SelectMany(e => e.Failures) : ((OptionsValidationException)ex).Failures;
            throw new CliException("invalid configuration: " + string.Join(" ", failures));
        }
        var options = services.GetRequiredService<IOptions<ClerkSecretOptions>>().Value;
        if (durableLedger)
        {
            await CheckLedgerAsync(services, ct).ConfigureAwait(false);
        }
        if (options.KeyVaultUri is not null)
        {
            try
            {
                await services.GetRequiredService<IClerkSecretProvider>().GetAsync(ct).ConfigureAwait(false);
            }
            catch (ClerkSecretUnavailableException ex)
            {
                throw new CliException(ex.Message);
            }
        }
    }

    /// <summary>
    /// A production key (sk_live_…, from CLERK_SECRET_KEY or the Key Vault secret) applies to the instance the deployed
    /// app serves: with an in-memory ledger, this run knows nothing of the changes the queue applied and could undo
    /// newer ones. So it needs the app's <c>--ledger</c>, or <c>--no-ledger</c> to say the in-memory one is meant. A dry
    /// run sends no PATCH and is let through.
    /// </summary>
    private static async Task RefuseLiveKeyWithoutLedgerAsync(IServiceProvider services, Arguments args, CancellationToken ct)
    {
        if (args.DryRun || args.Ledger is not null || args.NoLedger)
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

    /// <summary>Creates the ledger table if needed and reads one (absent) record. The connection string is never printed: it holds the account key.</summary>
    private static async Task CheckLedgerAsync(IServiceProvider services, CancellationToken ct)
    {
        IMembershipLedger ledger;
        try
        {
            ledger = services.GetRequiredService<IMembershipLedger>();
        }
        catch (Exception ex) when (ex is FormatException or ArgumentException or InvalidOperationException or TargetInvocationException)
        {
            // Microsoft.Extensions.Azure invokes the client's constructor by reflection, so its error arrives wrapped.
            throw new CliException($"--ledger is not a valid Azure Table Storage connection string or table service URI ({ex.GetType().Name}).");
        }
        try
        {
            await ledger.GetAsync("org_rolesyncpreflight", "user_rolesyncpreflight", ct).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            var message = ex.Message.Split('\n', 2)[0];
            throw new CliException($"cannot use the ledger given by --ledger: {ex.GetType().Name}: {ClerkSecret.Redact(message)}");
        }
    }
}
