using System.Text.Json;

namespace RoleSync.ClerkSandbox;

/// <summary>
/// The stand-alone sandbox (<c>dotnet run --project tools/RoleSync.ClerkSandbox -- [--port N] [--seed FILE]</c>): listens
/// on 127.0.0.1, prints its address and keys, and serves until <c>stop</c> is canceled. Exit code 2 for a bad command
/// line, a missing or invalid seed file, or a port in use.
/// </summary>
internal static class StandaloneSandbox
{
    public static async Task<int> RunAsync(IReadOnlyList<string> args, TextWriter stdout, TextWriter stderr, CancellationToken stop)
    {
        if (args is ["--help"] or ["-h"])
        {
            await stdout.WriteLineAsync(CommandLine.Usage);
            return 0;
        }

        if (CommandLine.Parse(args, out string? error) is not { } commandLine)
        {
            await stderr.WriteLineAsync(error);
            await stderr.WriteLineAsync(CommandLine.Usage);
            return 2;
        }

        if (commandLine.SeedPath is not null && !File.Exists(commandLine.SeedPath))
        {
            await stderr.WriteLineAsync($"Seed file '{commandLine.SeedPath}' not found.");
            return 2;
        }

        ClerkSandbox sandbox;
        try
        {
            sandbox = await ClerkSandbox.StartAsync(new ClerkSandboxOptions { Port = commandLine.Port }, stop);
        }
        catch (IOException exception)
        {
            await stderr.WriteLineAsync($"Cannot listen on 127.0.0.1:{commandLine.Port}: {exception.Message} (--port 0 picks a free port).");
            return 2;
        }

        await using (sandbox)
        {
            if (commandLine.SeedPath is not null)
            {
                try
                {
                    sandbox.LoadSeed(await File.ReadAllTextAsync(commandLine.SeedPath, stop));
                }
                catch (JsonException exception)
                {
                    await stderr.WriteLineAsync($"Seed file '{commandLine.SeedPath}' is not a valid seed: {exception.Message}");
                    return 2;
                }
            }

            await stdout.WriteLineAsync($"Clerk sandbox listening on {sandbox.BaseUrl.GetLeftPart(UriPartial.Authority)}");
            await stdout.WriteLineAsync($"Accepted secret key(s): {string.Join(", ", sandbox.SecretKeys)}");
            await stdout.WriteLineAsync("Press Ctrl+C to stop.");
            await stdout.FlushAsync();
            try
            {
                await Task.Delay(Timeout.Infinite, stop);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
            }
        }

        return 0;
    }
}
