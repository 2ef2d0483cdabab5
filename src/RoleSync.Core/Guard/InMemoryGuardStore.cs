using System.Globalization;
using System.Runtime.CompilerServices;

namespace RoleSync.Guard;

/// <summary>A process-local <see cref="IGuardStore"/> with the same conditional-write rules (tests, the model check, one-off runs).</summary>
public sealed class InMemoryGuardStore : IGuardStore
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, GuardWindow> _windows = new(StringComparer.Ordinal);
    private readonly Dictionary<(string, string), GuardHold> _holds = [];
    private long _version;

    /// <inheritdoc/>
    public Task<GuardWindow> ReadWindowAsync(string organizationId, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            return Task.FromResult(_windows.TryGetValue(organizationId, out var window) ? window : GuardWindow.Empty(organizationId));
        }
    }

    /// <inheritdoc/>
    public Task<GuardWindow?> TryWriteWindowAsync(GuardWindow window, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(window);
        lock (_gate)
        {
            _windows.TryGetValue(window.OrganizationId, out var stored);
            if (stored?.ETag != window.ETag)
            {
                return Task.FromResult<GuardWindow?>(null);
            }
            var written = window with { ETag = NextVersion() };
            _windows[window.OrganizationId] = written;
            return Task.FromResult<GuardWindow?>(written);
        }
    }

    /// <inheritdoc/>
    public Task<GuardHold?> GetHoldAsync(string organizationId, string eventId, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            return Task.FromResult(_holds.TryGetValue((organizationId, eventId), out var hold) ? hold : null);
        }
    }

    /// <inheritdoc/>
    public Task<GuardHold?> TryWriteHoldAsync(GuardHold hold, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(hold);
        lock (_gate)
        {
            var key = (hold.OrganizationId, hold.EventId);
            _holds.TryGetValue(key, out var stored);
            if (stored?.ETag != hold.ETag)
            {
                return Task.FromResult<GuardHold?>(null);
            }
            var written = hold with { ETag = NextVersion() };
            _holds[key] = written;
            return Task.FromResult<GuardHold?>(written);
        }
    }

    /// <inheritdoc/>
    public async IAsyncEnumerable<GuardHold> ListHoldsAsync(string? organizationId = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        GuardHold[] holds;
        lock (_gate)
        {
            holds = [.. _holds.Values.Where(h => organizationId is null || h.OrganizationId == organizationId)
                .OrderBy(h => h.OrganizationId, StringComparer.Ordinal).ThenBy(h => h.Sequence)];
        }
        foreach (var hold in holds)
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return hold;
        }
        await Task.CompletedTask.ConfigureAwait(false);
    }

    private string NextVersion() => (++_version).ToString(CultureInfo.InvariantCulture);
}
