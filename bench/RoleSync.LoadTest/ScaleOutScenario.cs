namespace RoleSync.LoadTest;

/// <summary>
/// One scale-out run: <see cref="Processes"/> child processes of <see cref="HostsPerProcess"/> RoleSync hosts each,
/// every host configured with the deployment budget and <c>RoleSync:MaxInstances</c> = <see cref="MaxInstances"/>,
/// sharing a backlog of <see cref="Messages"/> messages, beside the customer app's <see cref="App"/> load.
/// </summary>
public sealed record ScaleOutScenario(string Name, int Processes, int HostsPerProcess, int MaxInstances, int Messages, AppLoad App)
{
    public int Hosts => Processes * HostsPerProcess;
}
