using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RoleSync.Processing;

namespace RoleSync.Quarantine;

/// <summary>
/// This host's view of the deployment's quarantine row (<see cref="IQuarantineStore"/>): read at most once per
/// <see cref="QuarantineOptions.CacheDuration"/>, and changed only by conditional writes, so two hosts opening, claiming
/// a probe or closing at once agree: the first write wins and the others re-read. One log line on open and on close;
/// the gauge <c>rolesync.quarantine.active</c> (1 while this host sees it open) on RoleSync's meter.
/// </summary>
public sealed partial class QuarantineCircuit
{
    /// <summary>The gauge's name.</summary>
    public const string ActiveMetric = "rolesync.quarantine.active";

    private const int MaxWriteRounds = 8;
    private readonly IQuarantineStore _store;
    private readonly ClerkCallWindow _window;
    private readonly QuarantineOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<QuarantineCircuit> _logger;
    private volatile Cached? _cached;

    private sealed record Cached(QuarantineState State, DateTimeOffset ReadAt);

    /// <summary>The circuit over <paramref name="store"/>; the gauge is created on <paramref name="meterFactory"/>'s RoleSync meter.</summary>
    public QuarantineCircuit(IQuarantineStore store, ClerkCallWindow window, IOptions<QuarantineOptions> options, TimeProvider timeProvider,
        IMeterFactory meterFactory, ILogger<QuarantineCircuit> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(meterFactory);
        (_store, _window, _options, _time, _logger) = (store, window, options.Value, timeProvider, logger);
        meterFactory.Create(RoleSyncTelemetry.Name, RoleSyncInfo.Version).CreateObservableGauge(ActiveMetric,
            () => _cached?.State.Active == true ? 1 : 0, "{quarantine}", "1 while this host sees RoleSync in quarantine (no Clerk calls; messages held), else 0.");
    }

    /// <summary><c>Quarantine:Enabled</c>.</summary>
    public bool Enabled => _options.Enabled;

    /// <summary>The options in force.</summary>
    public QuarantineOptions Options => _options;

    /// <summary>
    /// The state, from the cache when read within <see cref="QuarantineOptions.CacheDuration"/>. A store failure keeps the
    /// last known state (none: not in quarantine) for one cache period: the table being down does not stop processing.
    /// </summary>
    public async Task<QuarantineState> CurrentAsync(CancellationToken cancellationToken = default)
    {
        if (!_options.Enabled)
        {
            return QuarantineState.None;
        }
        var cached = _cached;
        if (cached is not null && _time.GetUtcNow() - cached.ReadAt is var age && age >= TimeSpan.Zero && age < _options.CacheDuration)
        {
            return cached.State;
        }
        return await ReadAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Reads the row now (no cache).</summary>
    public async Task<QuarantineState> ReadAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            return Remember(await _store.ReadAsync(cancellationToken).ConfigureAwait(false));
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            LogStoreFailed(_logger, ex, "read");
            var known = _cached?.State ?? QuarantineState.None;
            _cached = new Cached(known, _time.GetUtcNow()); // asked again after the cache period, not per message
            return known;
        }
    }

    /// <summary>Opens the circuit for the deployment (or finds it open already). Returns the state; not active when the store could not be written.</summary>
    public async Task<QuarantineState> OpenAsync(string trigger, string detail, string? organizationId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(trigger);
        ArgumentNullException.ThrowIfNull(detail);
        return await WriteAsync(current =>
        {
            if (current.Active)
            {
                return null; // another host (or message) opened it first
            }
            var now = _time.GetUtcNow();
            return current with
            {
                Active = true, Since = now, Trigger = trigger, Detail = ProcessingResult.CleanDetail(detail), NextProbeAt = now + _options.ProbeDelay(0),
                Probes = 0, LastProbeAt = null, LastProbeResult = null, ClosedAt = null, ProbeOrganizationId = organizationId,
            };
        }, written => LogOpened(_logger, written.Trigger!, written.Since!.Value, written.NextProbeAt!.Value, written.Detail!), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Claims the due probe: moves <see cref="QuarantineState.NextProbeAt"/> to the following interval and counts it, with a
    /// conditional write only one host wins. Null when not active, not due, or another host claimed it.
    /// </summary>
    public async Task<QuarantineState?> TryClaimProbeAsync(CancellationToken cancellationToken = default)
    {
        var current = await ReadAsync(cancellationToken).ConfigureAwait(false);
        var now = _time.GetUtcNow();
        if (!current.Active || current.NextProbeAt > now)
        {
            return null;
        }
        var claim = current with { Probes = current.Probes + 1, LastProbeAt = now, NextProbeAt = now + _options.ProbeDelay(current.Probes + 1) };
        try
        {
            return await _store.TryWriteAsync(claim, cancellationToken).ConfigureAwait(false) is { } written ? Remember(written) : null;
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            LogStoreFailed(_logger, ex, "claim a probe in");
            return null;
        }
    }

    /// <summary>Records the claimed probe's result: success closes the circuit (when it is still the same episode); failure keeps the next probe the claim scheduled.</summary>
    public Task<QuarantineState> CompleteProbeAsync(QuarantineState claimed, bool succeeded, string detail, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(claimed);
        var result = ProcessingResult.CleanDetail(detail);
        return WriteAsync(current =>
        {
            if (!current.Active || current.Since != claimed.Since)
            {
                return null;
            }
            return succeeded
                ? current with { Active = false, ClosedAt = _time.GetUtcNow(), NextProbeAt = null, LastProbeResult = result }
                : current with { LastProbeResult = result };
        }, written =>
        {
            if (!written.Active)
            {
                LogClosed(_logger, written.Trigger ?? "", written.Since!.Value, written.ClosedAt!.Value, written.Probes, result);
            }
            else
            {
                LogProbeFailed(_logger, written.Probes, written.NextProbeAt!.Value, result);
            }
        }, cancellationToken);
    }

    /// <summary>Read, change, write on the ETag; again on a lost race. <paramref name="change"/> null: nothing to write.</summary>
    private async Task<QuarantineState> WriteAsync(Func<QuarantineState, QuarantineState?> change, Action<QuarantineState> onWritten, CancellationToken cancellationToken)
    {
        try
        {
            for (int round = 0; round < MaxWriteRounds; round++)
            {
                var current = Remember(await _store.ReadAsync(cancellationToken).ConfigureAwait(false));
                if (change(current) is not { } next)
                {
                    return current;
                }
                if (await _store.TryWriteAsync(next, cancellationToken).ConfigureAwait(false) is { } written)
                {
                    onWritten(written);
                    return Remember(written);
                }
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            LogStoreFailed(_logger, ex, "write");
        }
        return _cached?.State ?? QuarantineState.None;
    }

    private QuarantineState Remember(QuarantineState state)
    {
        var previous = _cached?.State;
        if (previous is { Active: true } && !state.Active)
        {
            _window.Reset(); // the failures that opened it must not open it again
        }
        _cached = new Cached(state, _time.GetUtcNow());
        return state;
    }

    [LoggerMessage(EventId = 1600, EventName = "QuarantineOpened", Level = LogLevel.Critical,
        Message = "RoleSync is in quarantine ({Trigger}) since {Since:O}: no Clerk calls, messages are held without spending attempts; first probe at {NextProbeAt:O}. {Detail}")]
    private static partial void LogOpened(ILogger logger, string trigger, DateTimeOffset since, DateTimeOffset nextProbeAt, string detail);

    [LoggerMessage(EventId = 1601, EventName = "QuarantineClosed", Level = LogLevel.Warning,
        Message = "RoleSync quarantine ({Trigger}, since {Since:O}) closed at {ClosedAt:O} after {Probes} probes: held messages resume. {ProbeResult}")]
    private static partial void LogClosed(ILogger logger, string trigger, DateTimeOffset since, DateTimeOffset closedAt, int probes, string probeResult);

    [LoggerMessage(EventId = 1602, EventName = "QuarantineProbeFailed", Level = LogLevel.Warning,
        Message = "RoleSync quarantine probe {Probe} failed; next probe at {NextProbeAt:O}. {ProbeResult}")]
    private static partial void LogProbeFailed(ILogger logger, int probe, DateTimeOffset nextProbeAt, string probeResult);

    [LoggerMessage(EventId = 1603, EventName = "QuarantineStoreFailed", Level = LogLevel.Warning,
        Message = "Could not {Operation} the quarantine table; keeping the last known quarantine state")]
    private static partial void LogStoreFailed(ILogger logger, Exception exception, string operation);
}
