using RoleSync.Contract;
using RoleSync.Processing;

namespace RoleSync.Quarantine;

/// <summary>
/// The quarantine check around one queue message's processing (the Functions handler calls it in place of the
/// processor). Before: while the circuit is open, the due probe is claimed and run (one host wins it), and unless it
/// closed the circuit the message is not processed: <c>Transient</c> <see cref="Reasons.Quarantined"/>, to be rescheduled
/// for just after the next probe without spending an attempt. After: a transient result that is a trigger
/// (<see cref="QuarantineTriggers"/>) opens the circuit, and any transient result while it is open becomes
/// <see cref="Reasons.Quarantined"/> too, so the failures that opened it spend no attempt and never end as
/// <c>RetriesExhausted</c>.
/// </summary>
public sealed class QuarantineGuard(QuarantineCircuit circuit, QuarantineProbe probe, ClerkCallWindow window, TimeProvider timeProvider)
{
    /// <summary>A held message comes back this long after the next probe is due (the probe runs first, on whichever host).</summary>
    public static readonly TimeSpan HoldMargin = TimeSpan.FromSeconds(10);

    /// <summary>Processes <paramref name="body"/> with <paramref name="process"/> unless RoleSync is in quarantine.</summary>
    public async Task<ProcessingResult> ProcessAsync(ReadOnlyMemory<byte> body, Func<CancellationToken, Task<ProcessingResult>> process, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(process);
        if (!circuit.Enabled)
        {
            return await process(cancellationToken).ConfigureAwait(false);
        }
        var state = await circuit.CurrentAsync(cancellationToken).ConfigureAwait(false);
        if (state.Active)
        {
            state = await ProbeIfDueAsync(state, cancellationToken).ConfigureAwait(false);
            if (state.Active)
            {
                var parse = RoleChangeParser.Parse(body.Span, timeProvider.GetUtcNow());
                return parse.Change is { } change ? Held(change, state, null) : ProcessingResult.Invalid(parse);
            }
        }
        var result = await process(cancellationToken).ConfigureAwait(false);
        if (result.Outcome != Outcome.Transient || result.Reason == Reasons.Quarantined)
        {
            return result;
        }
        state = await ObserveAsync(result, cancellationToken).ConfigureAwait(false);
        return state.Active && result.Change is { } failed ? Held(failed, state, result) : result;
    }

    /// <summary>Claims and runs the probe when it is due; returns the state afterwards.</summary>
    public async Task<QuarantineState> ProbeIfDueAsync(QuarantineState state, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(state);
        if (!state.Active || state.NextProbeAt > timeProvider.GetUtcNow())
        {
            return state;
        }
        if (await circuit.TryClaimProbeAsync(cancellationToken).ConfigureAwait(false) is not { } claimed)
        {
            return await circuit.CurrentAsync(cancellationToken).ConfigureAwait(false); // just read: another host has it, or it closed
        }
        var (succeeded, detail) = await probe.RunAsync(claimed.ProbeOrganizationId, cancellationToken).ConfigureAwait(false);
        return await circuit.CompleteProbeAsync(claimed, succeeded, detail, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Opens the circuit when <paramref name="result"/> (transient) is a trigger; the state afterwards.</summary>
    private async Task<QuarantineState> ObserveAsync(ProcessingResult result, CancellationToken cancellationToken)
    {
        var organizationId = result.Change?.OrganizationId;
        if (result.Reason == Reasons.ClerkUnauthorized)
        {
            return await circuit.OpenAsync(QuarantineTriggers.ClerkUnauthorized, result.Detail ?? "", organizationId, cancellationToken).ConfigureAwait(false);
        }
        if (result.Reason == Reasons.SecretUnavailable
            && await probe.ReadSecretAgainAsync(cancellationToken).ConfigureAwait(false) is { Trigger.Length: > 0 } secretFailure)
        {
            return await circuit.OpenAsync(secretFailure.Trigger, secretFailure.Detail, organizationId, cancellationToken).ConfigureAwait(false);
        }
        var (calls, failures) = window.LastMinute();
        if (calls >= circuit.Options.MinCalls && failures > circuit.Options.FailureRatio * calls)
        {
            return await circuit.OpenAsync(QuarantineTriggers.ClerkFailureRatio,
                $"{failures} of this host's {calls} Clerk calls in the last minute failed transiently (Quarantine:FailureRatio {circuit.Options.FailureRatio}, Quarantine:MinCalls {circuit.Options.MinCalls}); last: {result.Reason}: {result.Detail}",
                organizationId, cancellationToken).ConfigureAwait(false);
        }
        return await circuit.CurrentAsync(cancellationToken).ConfigureAwait(false);
    }

    private ProcessingResult Held(RoleChange change, QuarantineState state, ProcessingResult? failure)
    {
        var now = timeProvider.GetUtcNow();
        var next = state.NextProbeAt is { } at && at > now ? at : now;
        var wait = next - now + HoldMargin;
        var cause = failure is null ? "" : $"; this attempt failed {failure.Reason}: {failure.Detail}";
        return ProcessingResult.Transient(change, Reasons.Quarantined,
            $"RoleSync is in quarantine ({state.Trigger}) since {state.Since:O}: not sent to Clerk, held until after the next probe at {next:O} without spending an attempt{cause}",
            wait, failure?.ClerkTraceId);
    }
}
