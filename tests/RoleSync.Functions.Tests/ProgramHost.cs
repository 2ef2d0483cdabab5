namespace RoleSync.Functions.Tests;

/// <summary>
/// Builds the worker host exactly as the app's Program.cs does, with the given command-line arguments (which the
/// Functions builder reads as configuration, above environment variables), and returns it unstarted: Program's
/// <c>Run()</c> is never reached. It listens for the "HostBuilt" event that every .NET host raises and stops the
/// entry point there, as ASP.NET Core's WebApplicationFactory does. Only the host built on its own thread is taken,
/// so tests can run in parallel.
/// </summary>
internal static class ProgramHost
{
    public static IHost Build(params string[] args)
    {
        IHost? host = null;
        Exception? failure = null;
        var thread = new Thread(() =>
        {
            using var observer = new HostBuiltObserver(Environment.CurrentManagedThreadId, h => host = h);
            using var subscription = DiagnosticListener.AllListeners.Subscribe(observer);
            try
            {
                typeof(ProcessRoleChangeFunction).Assembly.EntryPoint!.Invoke(null, [args]);
                failure = new InvalidOperationException("Program's entry point returned without building a host.");
            }
            catch (TargetInvocationException ex) when (ex.InnerException is HostBuiltException)
            {
            }
            catch (TargetInvocationException ex)
            {
                failure = ex.InnerException ?? ex;
            }
        });
        thread.Start();
        thread.Join();
        return host ?? throw new InvalidOperationException("Program did not build a host.", failure);
    }

    private sealed class HostBuiltException : Exception;

    private sealed class HostBuiltObserver(int threadId, Action<IHost> onBuilt)
        : IObserver<DiagnosticListener>, IObserver<KeyValuePair<string, object?>>, IDisposable
    {
        private readonly List<IDisposable> _subscriptions = [];
        private bool _done;

        public void OnNext(DiagnosticListener listener)
        {
            if (listener.Name == "Microsoft.Extensions.Hosting")
            {
                lock (_subscriptions)
                {
                    _subscriptions.Add(listener.Subscribe(this));
                }
            }
        }

        public void OnNext(KeyValuePair<string, object?> value)
        {
            if (value.Key == "HostBuilt" && value.Value is IHost host && Environment.CurrentManagedThreadId == threadId && !_done)
            {
                _done = true;
                onBuilt(host);
                throw new HostBuiltException();
            }
        }

        public void Dispose()
        {
            _done = true;
            lock (_subscriptions)
            {
                _subscriptions.ForEach(s => s.Dispose());
            }
        }

        public void OnCompleted()
        {
        }

        public void OnError(Exception error)
        {
        }
    }
}
