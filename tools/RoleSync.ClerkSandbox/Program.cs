using System.Runtime.InteropServices;
using System.Text.Json;

namespace RoleSync.ClerkSandbox;

internal static class Program
{
    public static async Task<int> Main(string[] args)
    {
        if (args is ["--help"] or ["-h"])
        {
            Console.WriteLine(CommandLine.Usage);
            return 0;
        }

        if (CommandLine.Parse(args, out string? error) is not { } commandLine)
        {
            await Console.Error.WriteLineAsync(error);
            await Console.Error.WriteLineAsync(CommandLine.Usage);
            return 2;
        }

        if (commandLine.SeedPath is not null && !File.Exists(commandLine.SeedPath))
        {
            await Console.Error.WriteLineAsync($"Seed file '{commandLine.SeedPath}' not found.");
            return 2;
        }

        await using var sandbox = await ClerkSandbox.StartAsync(new ClerkSandboxOptions { Port = commandLine.Port });
        if (commandLine.SeedPath is not null)
        {
            try
            {
                sandbox.LoadSeed(await File.ReadAllTextAsync(commandLine.SeedPath));
            }
            catch (JsonException exception)
            {
                await Console.Error.WriteLineAsync($"Seed file '{commandLine.SeedPath}' is not a valid seed: {exception.Message}");
                return 2;
            }
        }

        var stopped = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
        using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);

        Console.WriteLine($"Clerk sandbox listening on {sandbox.BaseUrl.GetLeftPart(UriPartial.Authority)}");
        Console.WriteLine($"Accepted secret key(s): {string.Join(", ", sandbox.SecretKeys)}");
        Console.WriteLine("Press Ctrl+C to stop.");
        await stopped.Task;
        return 0;

        void Stop(PosixSignalContext context)
        {
            context.Cancel = true;
            stopped.TrySetResult();
        }
    }
}
