using System.CommandLine;
using System.Text.Json;

namespace RoleSync.Cli;

/// <summary>
/// <c>rolesync sandbox [--port N] [--seed FILE]</c>: the Clerk sandbox (tools/RoleSync.ClerkSandbox) on loopback,
/// seeded with the sample organizations (samples/sandbox-seed.json, embedded) unless --seed names another file. Runs until Ctrl+C.
/// </summary>
internal static class SandboxCommand
{
    public const int DefaultPort = 5111;

    public static Command Create(CliContext context)
    {
        var port = new Option<int>("--port") { Description = $"Port on 127.0.0.1 (default {DefaultPort}; 0 picks a free one).", DefaultValueFactory = _ => DefaultPort, HelpName = "N" };
        var seed = new Option<string>("--seed") { Description = "Seed file: {\"secretKeys\":[…],\"organizations\":[{\"id\",\"roles\",\"members\":[{\"userId\",\"role\"}]}]} (default: the sample seed).", HelpName = "FILE" };
        ApplyCommand.AddRange(port, 0, 65535);
        var command = new Command("sandbox", "Run a fake Clerk Backend API on 127.0.0.1, seeded with sample organizations, until Ctrl+C.") { port, seed };
        command.SetAction((parse, ct) => RolesyncCli.GuardAsync(context, () => RunAsync(context, parse.GetValue(port), parse.GetValue(seed), ct), ct));
        return command;
    }

    private static async Task<int> RunAsync(CliContext context, int port, string? seedPath, CancellationToken ct)
    {
        var seed = seedPath is null ? await ReadSampleSeedAsync(ct).ConfigureAwait(false) : await ReadSeedFileAsync(seedPath, ct).ConfigureAwait(false);
        ClerkSandbox.ClerkSandbox sandbox;
        try
        {
            sandbox = await ClerkSandbox.ClerkSandbox.StartAsync(new ClerkSandbox.ClerkSandboxOptions { Port = port }, ct).ConfigureAwait(false);
        }
        catch (IOException ex)
        {
            throw new CliException($"cannot listen on 127.0.0.1:{port}: {ex.Message} (--port 0 picks a free port).");
        }
        await using (sandbox.ConfigureAwait(false))
        {
            try
            {
                sandbox.LoadSeed(seed);
            }
            catch (JsonException ex)
            {
                throw new CliException($"the seed {seedPath ?? "(sample)"} is not valid: {ex.Message}");
            }
            var url = sandbox.BaseUrl.GetLeftPart(UriPartial.Authority);
            await context.Stdout.WriteLineAsync($"Clerk sandbox listening on {url}").ConfigureAwait(false);
            await context.Stdout.WriteLineAsync($"Accepted secret key (fake, for this sandbox only): {string.Join(", ", sandbox.SecretKeys)}").ConfigureAwait(false);
            await context.Stdout.WriteLineAsync($"Apply the samples: CLERK_SECRET_KEY={sandbox.SecretKeys.First()} rolesync apply samples/role-changes.jsonl --clerk-api-url {url}").ConfigureAwait(false);
            await context.Stdout.WriteLineAsync("Press Ctrl+C to stop.").ConfigureAwait(false);
            await context.Stdout.FlushAsync(ct).ConfigureAwait(false);
            try
            {
                await Task.Delay(Timeout.Infinite, ct).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
            }
        }
        return ExitCodes.Success;
    }

    private static async Task<string> ReadSampleSeedAsync(CancellationToken ct)
    {
        await using var stream = typeof(SandboxCommand).Assembly.GetManifestResourceStream("RoleSync.Cli.sandbox-seed.json")
            ?? throw new InvalidOperationException("The sample seed is not embedded in rolesync.");
        using var reader = new StreamReader(stream);
        return await reader.ReadToEndAsync(ct).ConfigureAwait(false);
    }

    private static async Task<string> ReadSeedFileAsync(string path, CancellationToken ct)
    {
        try
        {
            return await File.ReadAllTextAsync(path, ct).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new CliException($"cannot read seed file '{path}': {ex.Message}");
        }
    }
}
