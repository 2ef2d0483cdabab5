using System.Runtime.InteropServices;
using RoleSync.Cli;

// Ctrl+C / SIGTERM cancel the run (a second Ctrl+C ends the process at once).
using var stop = new CancellationTokenSource();
using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Cancel);
using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Cancel);
return await RolesyncCli.RunAsync(args, Console.In, Console.Out, Console.Error, environment: null, stop.Token);

void Cancel(PosixSignalContext context)
{
    if (!stop.IsCancellationRequested)
    {
        context.Cancel = true;
        stop.Cancel();
    }
}
