using Microsoft.AspNetCore.Http;

namespace RoleSync.Functions.OperatorApi;

/// <summary>
/// What <see cref="OperatorAuthMiddleware"/> does around every HTTP function, in a class tests drive directly: authorize
/// (<see cref="OperatorAuthorizer"/>; a refusal is the answer and the function does not run), put the principal in
/// <c>HttpContext.Items[<see cref="OperatorPrincipal.ItemKey"/>]</c>, and audit every call that is not a GET or HEAD
/// (<see cref="OperatorAuditor"/>) — also an authenticated principal's refused one (403, status <c>refused</c>; a 401
/// names nobody, and in Azure App Service Authentication answers it before the app). Returns the function's answer or the refusal.
/// </summary>
internal sealed class OperatorGate(OperatorAuthorizer authorizer, OperatorAuditor auditor)
{
    public async Task<object?> RunAsync(HttpContext http, string functionName, string? requiredRole, Func<Task<object?>> function, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(function);
        var decision = authorizer.Authorize(http.Request, requiredRole);
        var changesState = !HttpMethods.IsGet(http.Request.Method) && !HttpMethods.IsHead(http.Request.Method);
        if (decision.Problem is { } refused)
        {
            if (changesState && decision.Principal is { } refusedPrincipal)
            {
                await auditor.RecordRefusedAsync(http, functionName, refusedPrincipal, refused, cancellationToken).ConfigureAwait(false);
            }
            return refused;
        }
        var principal = decision.Principal!;
        http.Items[OperatorPrincipal.ItemKey] = principal;
        if (!changesState)
        {
            return await function().ConfigureAwait(false);
        }
        return await auditor.RunAsync(http, functionName, principal, function, cancellationToken).ConfigureAwait(false);
    }
}
