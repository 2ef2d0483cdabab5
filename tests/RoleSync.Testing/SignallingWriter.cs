namespace RoleSync.Testing;

/// <summary>Captures output (thread-safe) and completes <see cref="Signalled"/> once something containing the marker is written.</summary>
public sealed class SignallingWriter(string marker) : StringWriter
{
    private readonly TaskCompletionSource _signalled = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Lock _gate = new();

    public Task Signalled => _signalled.Task;

    public override void Write(string? value)
    {
        lock (_gate)
        {
            base.Write(value);
        }
        if (value?.Contains(marker, StringComparison.Ordinal) == true)
        {
            _signalled.TrySetResult();
        }
    }

    public override void WriteLine(string? value) => Write(value + NewLine);

    public override Task WriteAsync(string? value)
    {
        Write(value);
        return Task.CompletedTask;
    }

    public override Task WriteLineAsync(string? value)
    {
        WriteLine(value);
        return Task.CompletedTask;
    }

    public override string ToString()
    {
        lock (_gate)
        {
            return base.ToString();
        }
    }
}
