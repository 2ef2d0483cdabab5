using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace RoleSync.Emulators;

/// <summary>
/// Azurite's Table service in a child process: on a free 127.0.0.1 port, with in-memory persistence, stopped by
/// <see cref="Dispose"/> or, at the latest, when this process exits. Azurite comes from the repo's package.json
/// (<c>npm ci</c> at the repo root puts <c>node_modules/.bin/azurite-table</c> there) or from PATH.
/// </summary>
public sealed class AzuriteProcess : IDisposable
{
    /// <summary>Azurite's well-known development account (public, documented by Microsoft; not a secret).</summary>
    public const string AccountName = "devstoreaccount1";

    /// <summary>The key of <see cref="AccountName"/> (public, documented by Microsoft; not a secret).</summary>
    public const string AccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    /// <summary>How to install Azurite, for the message of a caller that needs it and did not find it.</summary>
    public const string InstallHint =
        "Run 'npm ci' at the repository root (installs azurite from package.json into node_modules), or 'npm install -g azurite@3.37.0'.";

    private const string Executable = "azurite-table";
    private const int StartAttempts = 3;
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    private readonly EventHandler _stopOnExit;

    private AzuriteProcess(Process process, int port)
    {
        Process = process;
        Port = port;
        ConnectionString = ConnectionStringFor(port);
        _stopOnExit = (_, _) => Kill(process);
        AppDomain.CurrentDomain.ProcessExit += _stopOnExit;
    }

    /// <summary>The Azurite (node) process, for its CPU time and memory.</summary>
    public Process Process { get; }

    /// <summary>The Table service's port on 127.0.0.1.</summary>
    public int Port { get; }

    /// <summary>A connection string for the Table endpoint (it holds the well-known development key).</summary>
    public string ConnectionString { get; }

    /// <summary>The connection string of the development account with its Table endpoint on 127.0.0.1:<paramref name="port"/>.</summary>
    public static string ConnectionStringFor(int port) =>
        $"DefaultEndpointsProtocol=http;AccountName={AccountName};AccountKey={AccountKey};TableEndpoint=http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}/{AccountName};";

    /// <summary>
    /// <c>node_modules/.bin/azurite-table</c> in the nearest directory above this program or the current directory,
    /// else <c>azurite-table</c> on PATH; null when Azurite is not installed (see <see cref="InstallHint"/>).
    /// </summary>
    public static string? FindExecutable()
    {
        foreach (var start in new[] { AppContext.BaseDirectory, Directory.GetCurrentDirectory() })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                var local = Path.Combine(dir.FullName, "node_modules", ".bin", Executable);
                if (File.Exists(local))
                {
                    return local;
                }
            }
        }
        return (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(path => Path.Combine(path, Executable))
            .FirstOrDefault(File.Exists);
    }

    /// <summary>
    /// Starts <paramref name="executable"/> (from <see cref="FindExecutable"/>) and waits until it listens. A start that
    /// fails (e.g. another process took the free port first) is tried again on a new port, three attempts in all.
    /// </summary>
    public static async Task<AzuriteProcess> StartAsync(string executable, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(executable);
        for (int attempt = 1; ; attempt++)
        {
            int port = FreePort();
            var process = Process.Start(StartInfo(executable, port)) ?? throw new InvalidOperationException($"Could not start {executable}.");
            try
            {
                await WaitUntilListeningAsync(process, cancellationToken).ConfigureAwait(false);
                return new AzuriteProcess(process, port);
            }
            catch (Exception ex) when (attempt < StartAttempts && ex is not OperationCanceledException)
            {
                Kill(process); // not disposed: its Exited handler may still run
            }
            catch
            {
                Kill(process);
                throw;
            }
        }
    }

    /// <summary>Stops Azurite (its data was in memory only).</summary>
    public void Dispose()
    {
        AppDomain.CurrentDomain.ProcessExit -= _stopOnExit;
        Kill(Process);
        Process.Dispose();
    }

    private static ProcessStartInfo StartInfo(string executable, int port) => new(executable)
    {
        ArgumentList = { "--tableHost", "127.0.0.1", "--tablePort", port.ToString(CultureInfo.InvariantCulture),
            "--inMemoryPersistence", "--skipApiVersionCheck", "--disableTelemetry", "--silent" },
        WorkingDirectory = Path.GetTempPath(),
        RedirectStandardOutput = true,
        RedirectStandardError = true,
        UseShellExecute = false,
    };

    /// <summary>Completes when Azurite says it started; fails with its output when it exits first or takes over a minute.</summary>
    private static async Task WaitUntilListeningAsync(Process process, CancellationToken cancellationToken)
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var output = new StringBuilder();
        process.OutputDataReceived += (_, e) =>
        {
            lock (output) { output.AppendLine(e.Data); }
            if (e.Data?.Contains("successfully", StringComparison.OrdinalIgnoreCase) == true) started.TrySetResult();
        };
        process.ErrorDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        process.EnableRaisingEvents = true;
        process.Exited += (_, _) =>
        {
            if (started.Task.IsCompleted)
            {
                return; // it started; this is the stop (Dispose), or the process ended later
            }
            process.WaitForExit(); // drain the output before reporting it
            lock (output) { started.TrySetException(new InvalidOperationException($"Azurite exited with code {process.ExitCode}: {output}")); }
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        await started.Task.WaitAsync(StartTimeout, cancellationToken).ConfigureAwait(false);
    }

    private static void Kill(Process process)
    {
        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // already gone (or never started)
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
