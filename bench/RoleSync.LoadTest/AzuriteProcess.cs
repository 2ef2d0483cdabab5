using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace RoleSync.LoadTest;

/// <summary>
/// Azurite's Table service on a free 127.0.0.1 port with in-memory persistence, started the way the tests start it
/// (tests/RoleSync.Testing/Azurite.cs): node_modules/.bin/azurite-table from <c>npm ci</c> at the repo root, or PATH.
/// </summary>
internal sealed class AzuriteProcess : IDisposable
{
    // Azurite's well-known development account (public, documented by Microsoft; not a secret).
    private const string AccountName = "devstoreaccount1";
    private const string AccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private readonly Process _process;

    private AzuriteProcess(Process process, int port)
    {
        _process = process;
        ConnectionString = $"DefaultEndpointsProtocol=http;AccountName={AccountName};AccountKey={AccountKey};TableEndpoint=http://127.0.0.1:{port}/{AccountName};";
    }

    public string ConnectionString { get; }

    /// <summary>The Azurite process, for its peak memory in the report.</summary>
    public Process Process => _process;

    /// <summary>Null when Azurite is not installed.</summary>
    public static string? FindExecutable()
    {
        foreach (var start in new[] { AppContext.BaseDirectory, Directory.GetCurrentDirectory() })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                var local = Path.Combine(dir.FullName, "node_modules", ".bin", "azurite-table");
                if (File.Exists(local))
                {
                    return local;
                }
            }
        }
        return (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator)
            .Select(p => Path.Combine(p, "azurite-table"))
            .FirstOrDefault(File.Exists);
    }

    public static async Task<AzuriteProcess> StartAsync(string executable, CancellationToken cancellationToken)
    {
        int port = FreePort();
        var start = new ProcessStartInfo(executable)
        {
            ArgumentList = { "--tableHost", "127.0.0.1", "--tablePort", port.ToString(CultureInfo.InvariantCulture),
                "--inMemoryPersistence", "--skipApiVersionCheck", "--disableTelemetry", "--silent" },
            WorkingDirectory = Path.GetTempPath(),
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {executable}.");
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var output = new StringBuilder();
        process.OutputDataReceived += (_, e) =>
        {
            lock (output) { output.AppendLine(e.Data); }
            if (e.Data?.Contains("successfully", StringComparison.OrdinalIgnoreCase) == true) started.TrySetResult();
        };
        process.ErrorDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        process.EnableRaisingEvents = true;
        process.Exited += (_, _) => { lock (output) { started.TrySetException(new InvalidOperationException($"Azurite exited: {output}")); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await started.Task.WaitAsync(TimeSpan.FromSeconds(60), cancellationToken).ConfigureAwait(false);
            return new AzuriteProcess(process, port);
        }
        catch
        {
            Kill(process);
            process.Dispose();
            throw;
        }
    }

    public void Dispose()
    {
        Kill(_process);
        _process.Dispose();
    }

    private static void Kill(Process process)
    {
        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // already gone
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
