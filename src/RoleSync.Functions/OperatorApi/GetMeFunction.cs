using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Azure.Functions.Worker;

namespace RoleSync.Functions.OperatorApi;

/// <summary>
/// <c>GET /api/me</c> (<see cref="OperatorRoles.Reader"/>): who the signed-in caller is, as the operator API sees them
/// (the principal <see cref="OperatorGate"/> verified): name, object id, app roles, and whether they may change state
/// (<see cref="OperatorRoles.Operator"/>). The console shows its action buttons only when <c>canOperate</c>; the API
/// refuses the actions of a Reader either way.
/// </summary>
public sealed class GetMeFunction
{
    public const string Name = "GetMe";

    [Function(Name)]
    [RequiresRole(OperatorRoles.Reader)]
    public Ok<MeView> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/me")] HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var principal = request.HttpContext.Items[OperatorPrincipal.ItemKey] as OperatorPrincipal
            ?? throw new InvalidOperationException($"{Name} ran without the principal OperatorGate verifies.");
        return TypedResults.Ok(new MeView(principal.Name, principal.ObjectId, principal.Roles, principal.HasRole(OperatorRoles.Operator)));
    }
}

