using System.Runtime.InteropServices;

namespace RoleSync.ClerkSandbox;

internal static class Program
{
    /// <summary>The sandbox on its own (<see cref="StandaloneSandbox"/>); Ctrl+C or SIGTERM stops it.</summary>
    public static async Task<int> Main(string[] args)
    {
        using var stop = new CancellationTokenSource();
        using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
        using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
        return await StandaloneSandbox.RunAsync(args, Console.Out, Console.Error, stop.Token);

        void Stop(PosixSignalContext context)
        {
            context.Cancel = true;
            stop.Cancel();
        }
    }
}
