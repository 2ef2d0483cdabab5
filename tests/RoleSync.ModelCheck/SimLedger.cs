using System.Globalization;
using RoleSync.Ledger;

namespace RoleSync.ModelCheck;

/// <summary>
/// The simulated ledger: the records with ETags (a conditional write succeeds only on the stored version, as Table
/// Storage's If-Match does), every request pending until the simulation resolves it (<see cref="LedgerOp"/>), and a log
/// of which changes were durably recorded as applied (the check's lower bound when the newest change was rejected).
/// </summary>
internal sealed class SimLedger : IMembershipLedger
{
    private readonly Dictionary<(string, string), MembershipRecord> _records = [];
    private readonly Dictionary<string, string> _events = new(StringComparer.Ordinal);
    private long _version;

    /// <summary>The simulation the host is attached to; attaching empties the ledger.</summary>
    public Simulation? Simulation
    {
        get;
        set
        {
            field = value;
            _records.Clear();
            _events.Clear();
            RecordedApplied.Clear();
            _version = 0;
        }
    }

    /// <summary>Per membership, every event id that a stored record named as applied.</summary>
    public Dictionary<(string, string), HashSet<string>> RecordedApplied { get; } = [];

    public IReadOnlyDictionary<(string, string), MembershipRecord> Records => _records;

    public Task<MembershipRecord?> GetAsync(string organizationId, string userId, CancellationToken cancellationToken = default) =>
        LedgerOp.Start(Attached, this, (organizationId, userId), null, cancellationToken);

    public Task<MembershipRecord?> TryWriteAsync(MembershipRecord record, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        return LedgerOp.Start(Attached, this, (record.OrganizationId, record.UserId), record, cancellationToken);
    }

    /// <summary>Event identities answer at once (no fault, no interleaving point): the check is about Clerk and the membership records.</summary>
    public Task<string?> RecordEventAsync(string eventId, string content, CancellationToken cancellationToken = default)
    {
        if (_events.TryGetValue(eventId, out var first))
        {
            return Task.FromResult(first == content ? null : first);
        }
        _events[eventId] = content;
        return Task.FromResult<string?>(null);
    }

    /// <summary>The records in key order, answered at once (the reconcile pass runs after the faults).</summary>
    public IAsyncEnumerable<MembershipRecord> ListAsync(string? organizationId = null, CancellationToken cancellationToken = default) =>
        _records.Values
            .Where(r => organizationId is null || r.OrganizationId == organizationId)
            .OrderBy(r => r.OrganizationId, StringComparer.Ordinal).ThenBy(r => r.UserId, StringComparer.Ordinal)
            .ToList().ToAsyncEnumerable();

    private Simulation Attached => Simulation ?? throw new InvalidOperationException("The host is not attached to a simulation.");

    public MembershipRecord? Read((string, string) key) => _records.GetValueOrDefault(key);

    /// <summary>The conditional write on the server: the stored record with its new ETag, or null (412/409).</summary>
    public MembershipRecord? Commit(MembershipRecord record)
    {
        var key = (record.OrganizationId, record.UserId);
        if (_records.GetValueOrDefault(key)?.ETag != record.ETag)
        {
            return null;
        }
        var stored = record with { ETag = (++_version).ToString(CultureInfo.InvariantCulture) };
        _records[key] = stored;
        if (stored.AppliedEventId is { } applied)
        {
            if (!RecordedApplied.TryGetValue(key, out var set))
            {
                RecordedApplied[key] = set = new HashSet<string>(StringComparer.Ordinal);
            }
            set.Add(applied);
        }
        return stored;
    }
}
