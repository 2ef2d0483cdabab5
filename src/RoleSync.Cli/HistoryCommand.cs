using System.CommandLine;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using RoleSync.Contract;
using RoleSync.History;
using RoleSync.Secrets;

namespace RoleSync.Cli;

/// <summary>
/// <c>rolesync history --ledger … org_… user_…</c>: the membership's history from the history table next to the ledger
/// (<c>History:TableName</c>), newest first, one JSON line per entry on stdout; a count on stderr. Needs no Clerk key.
/// </summary>
internal static class HistoryCommand
{
    /// <summary>Entries read per page.</summary>
    private const int PageSize = 500;

    public static Command Create(CliContext context)
    {
        var organization = new Argument<string>("organization-id") { Description = "The membership's organization (org_…)." };
        organization.Validators.Add(result => Check(result, ClerkIds.OrganizationPrefix));
        var user = new Argument<string>("user-id") { Description = "The membership's user (user_…)." };
        user.Validators.Add(result => Check(result, ClerkIds.UserPrefix));
        var limit = new Option<int?>("--limit") { Description = "At most this many entries (default: all).", HelpName = "N" };
        limit.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int?>() is < 1)
            {
                result.AddError("--limit must be 1 or more.");
            }
        });
        var ledger = new Option<string>("--ledger")
        {
            Description = "Azure Table Storage connection string or table service URI of the ledger's account (the history table lives next to the ledger).",
            HelpName = "CONNECTION_STRING",
            Required = true,
        };
        var command = new Command("history", "Show a membership's history, newest first: every change RoleSync saw, what became of it, by which entry point and principal.")
        {
            organization, user, limit, ledger,
        };
        command.SetAction((parse, ct) => RolesyncCli.GuardAsync(context, () => RunAsync(
            context, parse.GetValue(organization)!, parse.GetValue(user)!, parse.GetValue(limit), parse.GetValue(ledger)!, ct), ct));
        return command;
    }

    private static void Check(System.CommandLine.Parsing.ArgumentResult result, string prefix)
    {
        if (result.Tokens is [var token] && !ClerkIds.IsValid(token.Value, prefix))
        {
            result.AddError($"'{token.Value}' is not a Clerk ID ({prefix} followed by 1-{ClerkIds.MaxSuffixLength} letters or digits).");
        }
    }

    private static async Task<int> RunAsync(CliContext context, string organizationId, string userId, int? limit, string ledger, CancellationToken ct)
    {
        using var host = Build(context, ledger);
        var history = Resolve(host);
        int written = 0;
        string? token = null;
        try
        {
            do
            {
                var page = await history.ListAsync(organizationId, userId, Math.Min(PageSize, (limit ?? int.MaxValue) - written), token, ct).ConfigureAwait(false);
                foreach (var entry in page.Entries)
                {
                    await context.Stdout.WriteLineAsync(JsonSerializer.Serialize(entry, CliJsonContext.Output.MembershipHistoryEntry)).ConfigureAwait(false);
                    written++;
                }
                token = page.ContinuationToken;
            }
            while (token is not null && written < (limit ?? int.MaxValue));
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            throw new CliException($"cannot read the history given by --ledger: {ex.GetType().Name}: {ClerkSecret.Redact(ex.Message.Split('\n', 2)[0])}");
        }
        finally
        {
            await context.Stdout.FlushAsync(CancellationToken.None).ConfigureAwait(false);
        }
        await context.Stderr.WriteLineAsync($"rolesync history: {(written == 1 ? "1 entry" : $"{written} entries")} for {organizationId}/{userId}").ConfigureAwait(false);
        return ExitCodes.Success;
    }

    /// <summary>
    /// Only the history: the Table adapter as the core registers it (<see cref="RoleSyncCoreExtensions.AddRoleSyncTableLedger{TBuilder}"/>),
    /// with <c>History</c> options, and no Clerk client (no key needed).
    /// </summary>
    private static IHost Build(CliContext context, string ledger) => LedgerAccountHost.Build(context, ledger,
        builder => builder.Services.AddOptions<HistoryOptions>().BindConfiguration(HistoryOptions.SectionName).ValidateDataAnnotations());

    private static IMembershipHistory Resolve(IHost host) => LedgerAccountHost.Resolve(() =>
    {
        _ = host.Services.GetRequiredService<IOptions<HistoryOptions>>().Value; // validates History:TableName
        return host.Services.GetRequiredService<IMembershipHistory>();
    });
}
