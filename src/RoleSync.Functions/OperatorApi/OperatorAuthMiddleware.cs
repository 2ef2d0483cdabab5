using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Middleware;

namespace RoleSync.Functions.OperatorApi;

/// <summary>
/// The Functions worker middleware that puts every HTTP-triggered function behind <see cref="OperatorGate"/>: the role
/// its method declares (<see cref="RequiresRoleAttribute"/>, none: refused), the principal, and the audit of calls
/// that change state. A refusal becomes the invocation's result without running the function; the ASP.NET Core
/// integration (outside this middleware) executes whichever result is left. Other triggers pass straight through.
/// </summary>
internal sealed class OperatorAuthMiddleware(OperatorGate gate) : IFunctionsWorkerMiddleware
{
    public async Task Invoke(FunctionContext context, FunctionExecutionDelegate next)
    {
        if (!OperatorFunctions.IsHttp(context.FunctionDefinition))
        {
            await next(context).ConfigureAwait(false);
            return;
        }
        var http = context.GetHttpContext()
            ?? throw new InvalidOperationException("An HTTP function ran without an HttpContext: the app must use ConfigureFunctionsWebApplication.");
        var answer = await gate.RunAsync(http, context.FunctionDefinition.Name, OperatorFunctions.RequiredRole(context.FunctionDefinition.EntryPoint), async () =>
        {
            await next(context).ConfigureAwait(false);
            return context.GetInvocationResult().Value;
        }, context.CancellationToken).ConfigureAwait(false);
        context.GetInvocationResult().Value = answer;
    }
}
