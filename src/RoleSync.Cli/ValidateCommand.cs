using System.CommandLine;
using System.Text.Json;

namespace RoleSync.Cli;

/// <summary><c>rolesync validate &lt;file|-&gt;</c>: checks every message against the contract; one JSON line per message.</summary>
internal static class ValidateCommand
{
    public static Command Create(CliContext context)
    {
        var input = new Argument<string>("input") { Description = "JSON Lines file, one role-change message per line; - reads stdin." };
        var command = new Command("validate", "Validate every message (exit 0: all valid, 2: some invalid).") { input };
        command.SetAction((parse, ct) => RolesyncCli.GuardAsync(context, () => RunAsync(context, parse.GetRequiredValue(input), ct), ct));
        return command;
    }

    private static async Task<int> RunAsync(CliContext context, string path, CancellationToken ct)
    {
        using var file = InputLines.OpenFile(path);
        int total = 0, invalid = 0;
        var roles = CliEnvironment.RoleMapper(context);
        await foreach (var line in InputLines.ReadAsync(file ?? context.Stdin, path, ct).ConfigureAwait(false))
        {
            var parse = roles.Parse(line.Utf8(), context.TimeProvider.GetUtcNow());
            total++;
            invalid += parse.IsValid ? 0 : 1;
            var output = new ValidateLine(line.Index, parse.EventId, parse.IsValid, parse.Errors);
            await context.Stdout.WriteLineAsync(JsonSerializer.Serialize(output, CliJsonContext.Output.ValidateLine)).ConfigureAwait(false);
        }
        await context.Stdout.FlushAsync(ct).ConfigureAwait(false);
        await context.Stderr.WriteLineAsync($"rolesync validate: {RolesyncCli.Plural(total, "message")}: {total - invalid} valid, {invalid} invalid").ConfigureAwait(false);
        return invalid == 0 ? ExitCodes.Success : ExitCodes.SomeMessagesNotApplied;
    }
}
