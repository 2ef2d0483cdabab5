namespace RoleSync.LoadTest;

/// <summary>
/// One child of a scale-out run, started and driven step by step so the orchestrator can start several, wait until
/// every one is ready, say "go" to all at once, and tell the customer app to stop (<see cref="Protocol.Stop"/>).
/// </summary>
internal sealed class RunningChild : IAsyncDisposable
{
    private readonly Process _process;
    private readonly string _name;

    private RunningChild(Process process, string name)
    {
        _process = process;
        _name = name;
    }

    public static async Task<RunningChild> StartAsync(VariantSpec spec, CancellationToken cancellationToken)
    {
        var process = Process.Start(ChildProcess.StartInfo()) ?? throw new InvalidOperationException("Could not start the child process.");
        var child = new RunningChild(process, spec.Name);
        await child.SendAsync(JsonSerializer.Serialize(spec, ProtocolJson.Default.VariantSpec), cancellationToken).ConfigureAwait(false);
        return child;
    }

    /// <summary>Waits for the child's ready line; false when it exited first.</summary>
    public async Task<bool> WaitReadyAsync(CancellationToken cancellationToken) =>
        await ChildProcess.ReadUntilAsync(_process, Protocol.Ready, cancellationToken).ConfigureAwait(false) is not null;

    public Task GoAsync(CancellationToken cancellationToken) => SendAsync(Protocol.Go, cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => SendAsync(Protocol.Stop, cancellationToken);

    /// <summary>The child's result line, or null (with the reason on stderr) when it exited without one.</summary>
    public async Task<ScaleOutResult?> ResultAsync(CancellationToken cancellationToken)
    {
        var line = await ChildProcess.ReadUntilAsync(_process, Protocol.ResultPrefix, cancellationToken).ConfigureAwait(false);
        if (line is null)
        {
            await _process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
            await Console.Error.WriteLineAsync($"[{_name}] exited without a result (exit code {_process.ExitCode})").ConfigureAwait(false);
            return null;
        }
        var result = JsonSerializer.Deserialize(line[Protocol.ResultPrefix.Length..], ProtocolJson.Default.ScaleOutResult);
        await _process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        return result;
    }

    private async Task SendAsync(string line, CancellationToken cancellationToken)
    {
        await _process.StandardInput.WriteLineAsync(line).ConfigureAwait(false);
        await _process.StandardInput.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    public ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }
        _process.Dispose();
        return ValueTask.CompletedTask;
    }
}
