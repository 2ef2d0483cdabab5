namespace RoleSync.LoadTest;

/// <summary>Sends one message's worth of work to Clerk. True when the message ended as intended (applied).</summary>
public interface IDriver : IAsyncDisposable
{
    Task<bool> SendAsync(WorkItem item, CancellationToken cancellationToken);

    /// <summary>How the messages ended, by outcome name.</summary>
    IReadOnlyDictionary<string, int> Outcomes { get; }
}
