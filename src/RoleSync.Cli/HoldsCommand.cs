using System.CommandLine;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using RoleSync.Contract;
using RoleSync.Guard;
using RoleSync.Secrets;

namespace RoleSync.Cli;

/// <summary>
/// <c>rolesync holds list|approve|reject --ledger …</c>: the bulk-change guard's held changes in the guard table next to
/// the ledger (<c>Guard:TableName</c>). <c>list</c> writes one JSON line per organization (count, first/last, sample);
/// <c>approve org_…</c> and <c>reject org_…</c> decide every held change of the organization (as
/// <c>POST /api/holds/{organizationId}/approve|reject</c> does) and write the decision as one JSON line. Needs no Clerk key.
/// </summary>
internal static class HoldsCommand
{
    public static Command Create(CliContext context)
    {
        var ledger = new Option<string>("--ledger")
        {
            Description = "Azure Table Storage connection string or table service URI of the ledger's account (the guard table lives next to the ledger).",
            HelpName = "CONNECTION_STRING",
            Required = true,
            Recursive = true,
        };
        var list = new Command("list", "List the organizations whose privilege-reducing changes are held, with a count, the first and last held, and a sample.");
        list.SetAction((parse, ct) => RolesyncCli.GuardAsync(context, () => ListAsync(context, parse.GetValue(ledger)!, ct), ct));
        var command = new Command("holds", "Show, approve or reject the changes the bulk-change guard holds (Guard:MaxPerWindow privilege-reducing changes per Guard:Window).")
        {
            ledger, list, Decide(context, ledger, GuardDecision.Approved), Decide(context, ledger, GuardDecision.Rejected),
        };
        return command;
    }

    private static Command Decide(CliContext context, Option<string> ledger, GuardDecision decision)
    {
        var organization = new Argument<string>("organization-id") { Description = "The organization whose held changes to decide (org_…)." };
        organization.Validators.Add(result =>
        {
            if (result.Tokens is [var token] && !ClerkIds.IsValid(token.Value, ClerkIds.OrganizationPrefix))
            {
                result.AddError($"'{token.Value}' is not a Clerk ID ({ClerkIds.OrganizationPrefix} followed by 1-{ClerkIds.MaxSuffixLength} letters or digits).");
            }
        });
        var operatorName = new Option<string?>("--operator") { Description = "Who decides, as recorded in the holds and dead-letter descriptions (default: cli:<user name>).", HelpName = "NAME" };
        var approve = decision == GuardDecision.Approved;
        var command = new Command(approve ? "approve" : "reject", approve
            ? "Release every held change of the organization into normal processing, in order (each on its next delivery)."
            : "Reject every held change of the organization: each is dead-lettered RejectedByOperator on its next delivery.")
        {
            organization, operatorName,
        };
        command.SetAction((parse, ct) => RolesyncCli.GuardAsync(context, () => DecideAsync(context, parse.GetValue(ledger)!, decision,
            parse.GetValue(organization)!, parse.GetValue(operatorName) ?? "cli:" + Environment.UserName, ct), ct));
        return command;
    }

    private static async Task<int> ListAsync(CliContext context, string ledger, CancellationToken ct)
    {
        using var host = Build(context, ledger);
        var summaries = await CallAsync(() => Resolve(host).ListAsync(null, ct), ct).ConfigureAwait(false);
        foreach (var summary in summaries)
        {
            await context.Stdout.WriteLineAsync(JsonSerializer.Serialize(summary, CliJsonContext.Output.GuardHoldSummary)).ConfigureAwait(false);
        }
        await context.Stdout.FlushAsync(CancellationToken.None).ConfigureAwait(false);
        await context.Stderr.WriteLineAsync($"rolesync holds: {summaries.Sum(s => s.Count)} held change(s) in {summaries.Count} organization(s)").ConfigureAwait(false);
        return ExitCodes.Success;
    }

    private static async Task<int> DecideAsync(CliContext context, string ledger, GuardDecision decision, string organizationId, string operatorName, CancellationToken ct)
    {
        using var host = Build(context, ledger);
        var holds = Resolve(host);
        var result = await CallAsync(() => decision == GuardDecision.Approved
            ? holds.ApproveAsync(organizationId, operatorName, ct)
            : holds.RejectAsync(organizationId, operatorName, ct), ct).ConfigureAwait(false);
        await context.Stdout.WriteLineAsync(JsonSerializer.Serialize(result, CliJsonContext.Output.GuardDecisionResult)).ConfigureAwait(false);
        await context.Stdout.FlushAsync(CancellationToken.None).ConfigureAwait(false);
        await context.Stderr.WriteLineAsync($"rolesync holds: {(decision == GuardDecision.Approved ? "approved" : "rejected")} {result.Count} held change(s) of {organizationId} as {operatorName}").ConfigureAwait(false);
        return ExitCodes.Success;
    }

    private static async Task<T> CallAsync<T>(Func<Task<T>> call, CancellationToken ct)
    {
        try
        {
            return await call().ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            throw new CliException($"cannot use the guard table given by --ledger: {ex.GetType().Name}: {ClerkSecret.Redact(ex.Message.Split('\n', 2)[0])}");
        }
    }

    /// <summary>Only the guard's store and holds (as <see cref="RoleSyncCoreExtensions.AddRoleSyncGuard{TBuilder}"/> registers them) over the ledger's account; no Clerk client.</summary>
    private static IHost Build(CliContext context, string ledger) => LedgerAccountHost.Build(context, ledger, builder =>
    {
        builder.Services.AddOptions<GuardOptions>().BindConfiguration(GuardOptions.SectionName).ValidateDataAnnotations();
        builder.Services.AddSingleton<IGuardStore>(provider => new AzureAdapters.TableGuardStore(
            provider.GetRequiredService<Azure.Data.Tables.TableServiceClient>().GetTableClient(provider.GetRequiredService<IOptions<GuardOptions>>().Value.TableName)));
        builder.Services.AddSingleton<GuardHolds>();
        builder.Services.AddSingleton(TimeProvider.System);
    });

    private static GuardHolds Resolve(IHost host) => LedgerAccountHost.Resolve(() =>
    {
        _ = host.Services.GetRequiredService<IOptions<GuardOptions>>().Value; // validates Guard:TableName
        return host.Services.GetRequiredService<GuardHolds>();
    });
}
