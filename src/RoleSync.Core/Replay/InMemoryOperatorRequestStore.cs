namespace RoleSync.Replay;

/// <summary>A process-local <see cref="IOperatorRequestStore"/> for tests.</summary>
public sealed class InMemoryOperatorRequestStore : IOperatorRequestStore
{
    private readonly Dictionary<string, OperatorRequestRecord> _requests = new(StringComparer.Ordinal);
    private readonly Dictionary<string, SortedDictionary<long, ReplayedDeadLetter>> _replayed = new(StringComparer.Ordinal);

    public Task<OperatorRequestRecord?> GetAsync(string key, CancellationToken cancellationToken = default)
    {
        lock (_requests)
        {
            return Task.FromResult(_requests.GetValueOrDefault(key));
        }
    }

    public Task<OperatorRequestRecord> AddAsync(OperatorRequestRecord request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        lock (_requests)
        {
            return Task.FromResult(_requests.TryAdd(request.Key, request) ? request : _requests[request.Key]);
        }
    }

    public Task<IReadOnlyList<ReplayedDeadLetter>> GetReplayedAsync(string key, CancellationToken cancellationToken = default)
    {
        lock (_requests)
        {
            return Task.FromResult<IReadOnlyList<ReplayedDeadLetter>>(_replayed.TryGetValue(key, out var items) ? [.. items.Values] : []);
        }
    }

    public Task AddReplayedAsync(string key, IReadOnlyList<ReplayedDeadLetter> replayed, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(replayed);
        lock (_requests)
        {
            if (!_replayed.TryGetValue(key, out var items))
            {
                _replayed[key] = items = [];
            }
            foreach (var item in replayed)
            {
                items[item.SequenceNumber] = item;
            }
        }
        return Task.CompletedTask;
    }
}
