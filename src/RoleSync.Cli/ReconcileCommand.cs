using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using RoleSync.Contract;
using RoleSync.Processing;
using RoleSync.Reconcile;
using RoleSync.Secrets;

namespace RoleSync.Cli;

/// <summary>
/// <c>rolesync reconcile --ledger …</c>: walks every membership the ledger knows (or one organization's) with the core's
/// <see cref="Reconciler"/>, compares Clerk with each membership's desired role, and reports (default) or, with
/// <c>--repair</c>, puts drifted roles back. One JSON line per membership not in sync on stdout; a summary on stderr.
/// </summary>
/// <remarks>
/// Unlike <c>apply</c> there is no retry loop of the command's own: the core client's in-process retries (Clerk's
/// defaults) stay on, and a membership that still fails is reported <c>failed</c> and checked again by the next pass.
/// </remarks>
internal static class ReconcileCommand
{
    public static Command Create(CliContext context)
    {
        var organization = new Option<string>("--organization")
        {
            Description = "Check only this organization's memberships (default: every organization the ledger knows).",
            HelpName = "ORGANIZATION_ID",
        };
        organization.Validators.Add(result =>
        {
            if (result.Tokens is [var token] && !ClerkIds.IsOrganizationId(token.Value))
            {
                result.AddError($"--organization must be an organization ID ({ClerkIds.OrganizationPrefix} followed by 1-{ClerkIds.MaxSuffixLength} letters or digits), not '{token.Value}'.");
            }
        });
        var repair = new Option<bool>("--repair") { Description = "Put each drifted membership back on its desired role (PATCH); default: only report it." };
        var connection = new ConnectionOptions(
            "Azure Table Storage connection string or table service URI of the queue's membership ledger (e.g. Azurite's): the memberships to check and their desired roles.",
            ledgerRequired: true);

        var command = new Command("reconcile", "Compare Clerk with the ledger's desired roles (exit 0: all in sync or repaired, 2: drift remains).")
        {
            organization, repair,
        };
        connection.AddTo(command);
        command.SetAction((parse, ct) => RolesyncCli.GuardAsync(context, () => RunAsync(
            context,
            parse.GetValue(organization),
            parse.GetValue(repair) ? ReconcileMode.Repair : ReconcileMode.Report,
            connection.Read(parse),
            ct), ct));
        return command;
    }

    private static async Task<int> RunAsync(CliContext context, string? organizationId, ReconcileMode mode, ConnectionArguments connection, CancellationToken ct)
    {
        var settings = CliHost.Configure(context, connection);
        using var host = await CliHost.StartAsync(context, settings, durableLedger: true, ct).ConfigureAwait(false);
        var reconciler = host.Services.GetRequiredService<Reconciler>();

        var started = context.TimeProvider.GetTimestamp();
        ReconcileSummary summary;
        try
        {
            summary = await reconciler.RunAsync(mode, organizationId, item =>
                context.Stdout.WriteLineAsync(JsonSerializer.Serialize(item, CliJsonContext.Output.ReconcileItem)), ct).ConfigureAwait(false);
        }
        catch (LedgerUnavailableException ex)
        {
            throw new CliException($"cannot read the ledger given by --ledger: {ClerkSecret.Redact(ex.Message.Split('\n', 2)[0])}");
        }
        finally
        {
            await context.Stdout.FlushAsync(CancellationToken.None).ConfigureAwait(false);
        }

        var elapsed = context.TimeProvider.GetElapsedTime(started).TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture);
        await context.Stderr.WriteLineAsync($"rolesync reconcile{(mode == ReconcileMode.Repair ? " --repair" : "")}: {summary} ({elapsed} s)").ConfigureAwait(false);
        return summary.Converged ? ExitCodes.Success : ExitCodes.DriftRemains;
    }
}
