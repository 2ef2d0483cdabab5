using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Options;
using RoleSync.Guard;

namespace RoleSync.Functions.OperatorApi;

/// <summary><c>GET /api/holds</c> (<see cref="OperatorRoles.Reader"/>): per organization, the changes the bulk-change guard holds for an operator.</summary>
public sealed class ListHoldsFunction(GuardHolds holds, IOptions<GuardOptions> options)
{
    public const string Name = "ListHolds";

    [Function(Name)]
    [RequiresRole(OperatorRoles.Reader)]
    public async Task<Ok<HoldListResponse>> RunAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/holds")] HttpRequest request,
        CancellationToken cancellationToken)
    {
        var summaries = await holds.ListAsync(null, cancellationToken);
        var guard = options.Value;
        return TypedResults.Ok(new HoldListResponse(guard.Enabled, guard.MaxPerWindow, guard.Window, [.. summaries.Select(HoldSummaryView.From)]));
    }
}
