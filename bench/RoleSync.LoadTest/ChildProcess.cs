namespace RoleSync.LoadTest;

/// <summary>Runs one variant in a fresh copy of this program (<c>--child</c>), relaying the go signal and the result.</summary>
internal static class ChildProcess
{
    public static async Task<Measurement> RunAsync(VariantSpec spec, ClerkSandbox.ClerkSandbox sandbox, KeyVaultFake.KeyVaultFake vault, Process? azurite)
    {
        // Setup and warm-up get a generous allowance on top of the measured run's own limit; after that the child is killed.
        using var guard = new CancellationTokenSource(TimeSpan.FromSeconds(spec.MaxSeconds + 180));
        int vaultAtStart = vault.SecretReads;
        using var process = Process.Start(StartInfo()) ?? throw new InvalidOperationException("Could not start the child process.");
        try
        {
            await process.StandardInput.WriteLineAsync(JsonSerializer.Serialize(spec, ProtocolJson.Default.VariantSpec)).ConfigureAwait(false);
            await process.StandardInput.FlushAsync(guard.Token).ConfigureAwait(false);
            if (await ReadUntilAsync(process, Protocol.Ready, guard.Token).ConfigureAwait(false) is null)
            {
                return Failed(spec, $"the child exited during setup or warm-up (exit code {await ExitCodeAsync(process).ConfigureAwait(false)})");
            }

            sandbox.ClearRequests();
            int vaultAtGo = vault.SecretReads;
            var cpuAtGo = Environment.CpuUsage.TotalTime;
            var azuriteAtGo = CpuOf(azurite);
            await process.StandardInput.WriteLineAsync(Protocol.Go).ConfigureAwait(false);
            await process.StandardInput.FlushAsync(guard.Token).ConfigureAwait(false);

            var line = await ReadUntilAsync(process, Protocol.ResultPrefix, guard.Token).ConfigureAwait(false);
            int requests = sandbox.RequestCount, rateLimited = sandbox.RateLimitedCount, vaultAtEnd = vault.SecretReads;
            var cpu = Environment.CpuUsage.TotalTime - cpuAtGo;
            var azuriteCpu = CpuOf(azurite) - azuriteAtGo;
            var times = sandbox.Requests.Select(r => r.ReceivedAt).ToList();
            if (line is null)
            {
                return Failed(spec, $"the child exited without a result (exit code {await ExitCodeAsync(process).ConfigureAwait(false)})");
            }
            var child = JsonSerializer.Deserialize(line[Protocol.ResultPrefix.Length..], ProtocolJson.Default.ChildResult);
            await process.WaitForExitAsync(guard.Token).ConfigureAwait(false);
            return new Measurement
            {
                Spec = spec,
                Child = child,
                ClerkRequests = requests,
                RateLimited = rateLimited,
                VaultReadsRun = vaultAtEnd - vaultAtGo,
                VaultReadsProcess = vaultAtEnd - vaultAtStart,
                OrchestratorCpuSeconds = cpu.TotalSeconds,
                AzuriteCpuSeconds = azuriteCpu.TotalSeconds,
                RequestTimes = times,
            };
        }
        catch (OperationCanceledException) when (guard.IsCancellationRequested)
        {
            return Failed(spec, $"the child did not finish within {spec.MaxSeconds + 180} s and was stopped");
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
    }

    private static Measurement Failed(VariantSpec spec, string error) => new() { Spec = spec, Error = error };

    /// <summary>CPU time of Azurite (node) so far; zero when it is not running.</summary>
    private static TimeSpan CpuOf(Process? process)
    {
        if (process is null || process.HasExited)
        {
            return TimeSpan.Zero;
        }
        process.Refresh();
        return process.TotalProcessorTime;
    }

    private static async Task<int> ExitCodeAsync(Process process)
    {
        await process.WaitForExitAsync().ConfigureAwait(false);
        return process.ExitCode;
    }

    /// <summary>Relays the child's other output and returns the first line starting with <paramref name="prefix"/>; null at end of output.</summary>
    internal static async Task<string?> ReadUntilAsync(Process process, string prefix, CancellationToken cancellationToken)
    {
        while (await process.StandardOutput.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } line)
        {
            if (line.StartsWith(prefix, StringComparison.Ordinal))
            {
                return line;
            }
            Console.WriteLine($"  | {line}");
        }
        return null;
    }

    /// <summary>This program again: the apphost directly, or "dotnet RoleSync.LoadTest.dll" when started that way.</summary>
    internal static ProcessStartInfo StartInfo()
    {
        var host = Environment.ProcessPath ?? throw new InvalidOperationException("Unknown process path.");
        var start = new ProcessStartInfo(host)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = false,
            UseShellExecute = false,
        };
        if (Path.GetFileNameWithoutExtension(host).Equals("dotnet", StringComparison.OrdinalIgnoreCase))
        {
            start.ArgumentList.Add(typeof(ChildProcess).Assembly.Location);
        }
        start.ArgumentList.Add("--child");
        return start;
    }
}
