using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace RoleSync.Testing;

/// <summary>
/// One Azurite Table service per test process, started on first use on a free 127.0.0.1 port with in-memory
/// persistence and stopped when the process exits. Tests isolate themselves by table name
/// (<see cref="NewTableName"/>), so they can share it and run in parallel. Azurite comes from the repo's
/// package.json (<c>npm ci</c> at the repo root) or from PATH; when it is missing, the error says how to install it.
/// </summary>
public static class Azurite
{
    /// <summary>Azurite's well-known development account (public, documented by Microsoft; not a secret).</summary>
    public const string AccountName = "devstoreaccount1";
    private const string AccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private static readonly Lazy<Task<string>> Instance = new(StartAsync);
    private static Process? _process;

    /// <summary>A connection string for the shared Azurite Table endpoint.</summary>
    public static Task<string> GetConnectionStringAsync() => Instance.Value;

    /// <summary>A connection string to a port where nothing listens (port 9, discard), for "storage is down" tests.</summary>
    public const string UnreachableConnectionString =
        $"DefaultEndpointsProtocol=http;AccountName={AccountName};AccountKey={AccountKey};TableEndpoint=http://127.0.0.1:9/{AccountName};";

    /// <summary>A table name no other test uses.</summary>
    public static string NewTableName(string prefix = "t") => prefix + Guid.NewGuid().ToString("N")[..20];

    private static async Task<string> StartAsync()
    {
        var executable = FindExecutable();
        for (int attempt = 1; ; attempt++)
        {
            int port = FreePort();
            var start = new ProcessStartInfo(executable)
            {
                ArgumentList = { "--tableHost", "127.0.0.1", "--tablePort", port.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    "--inMemoryPersistence", "--skipApiVersionCheck", "--disableTelemetry", "--silent" },
                WorkingDirectory = Path.GetTempPath(),
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {executable}.");
            var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var output = new System.Text.StringBuilder();
            process.OutputDataReceived += (_, e) =>
            {
                lock (output) { output.AppendLine(e.Data); }
                if (e.Data?.Contains("successfully", StringComparison.OrdinalIgnoreCase) == true) started.TrySetResult();
            };
            process.ErrorDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
            process.EnableRaisingEvents = true;
            process.Exited += (_, _) =>
            {
                process.WaitForExit(); // drain the output before reporting it
                lock (output) { started.TrySetException(new InvalidOperationException($"Azurite exited with code {process.ExitCode}: {output}")); }
            };
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            try
            {
                await started.Task.WaitAsync(TimeSpan.FromSeconds(60));
                _process = process;
                AppDomain.CurrentDomain.ProcessExit += (_, _) => Stop();
                return $"DefaultEndpointsProtocol=http;AccountName={AccountName};AccountKey={AccountKey};TableEndpoint=http://127.0.0.1:{port}/{AccountName};";
            }
            catch (Exception) when (attempt < 3)
            {
                try { process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
            }
        }
    }

    private static void Stop()
    {
        try { _process?.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static string FindExecutable()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var local = Path.Combine(dir.FullName, "node_modules", ".bin", "azurite-table");
            if (File.Exists(local))
            {
                return local;
            }
        }
        foreach (var path in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator))
        {
            var candidate = Path.Combine(path, "azurite-table");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }
        throw new InvalidOperationException(
            "Azurite is not installed, and the ledger tests need it. Run 'npm ci' at the repository root " +
            "(installs azurite from package.json into node_modules), or 'npm install -g azurite@3.37.0'.");
    }
}
