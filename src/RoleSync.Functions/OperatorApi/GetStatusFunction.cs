using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Azure.Functions.Worker;
using RoleSync.Quarantine;

namespace RoleSync.Functions.OperatorApi;

/// <summary><c>GET /api/status</c> (<see cref="OperatorRoles.Reader"/>): whether RoleSync is in quarantine, since when, why, and the next probe. Reads the row fresh.</summary>
public sealed class GetStatusFunction(QuarantineCircuit quarantine, TimeProvider timeProvider)
{
    public const string Name = "GetStatus";

    [Function(Name)]
    [RequiresRole(OperatorRoles.Reader)]
    public async Task<Ok<StatusView>> RunAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/status")] HttpRequest request,
        CancellationToken cancellationToken)
    {
        var state = quarantine.Enabled ? await quarantine.ReadAsync(cancellationToken) : QuarantineState.None;
        return TypedResults.Ok(new StatusView(RoleSyncInfo.Version, QuarantineView.From(quarantine.Enabled, state, timeProvider.GetUtcNow())));
    }
}
