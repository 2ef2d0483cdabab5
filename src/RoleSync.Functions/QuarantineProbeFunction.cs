using Microsoft.Azure.Functions.Worker;
using RoleSync.Quarantine;

namespace RoleSync.Functions;

/// <summary>
/// Every minute: reads the quarantine row and, when a probe is due, claims and runs it (<see cref="QuarantineGuard.ProbeIfDueAsync"/>),
/// so the circuit closes on time even when no held message comes back to do it, and this host's
/// <c>rolesync.quarantine.active</c> follows the row. One Table read a minute; nothing when quarantine is off.
/// </summary>
public sealed class QuarantineProbeFunction(QuarantineCircuit circuit, QuarantineGuard guard)
{
    public const string Name = "QuarantineProbe";

    [Function(Name)]
    public async Task RunAsync([TimerTrigger("0 * * * * *")] TimerInfo timer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(timer);
        if (circuit.Enabled)
        {
            await guard.ProbeIfDueAsync(await circuit.ReadAsync(cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
        }
    }
}
