using System.Runtime.InteropServices;
using RoleSync.Demo;
using RoleSync.Emulators;

// Ctrl+C / SIGTERM stop the demo; it stops the sandbox and Azurite on the way out.
using var stop = new CancellationTokenSource();
using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Cancel);
using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Cancel);
return await DemoRun.RunAsync(Console.Out, Console.Error, AzuriteProcess.FindExecutable, stop.Token);

void Cancel(PosixSignalContext context)
{
    if (!stop.IsCancellationRequested)
    {
        context.Cancel = true;
        stop.Cancel();
    }
}
