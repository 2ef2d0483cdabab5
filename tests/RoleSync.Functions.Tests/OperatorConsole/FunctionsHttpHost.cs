using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;

namespace RoleSync.Functions.Tests.OperatorConsole;

/// <summary>
/// The Functions app's HTTP functions over a real socket (Kestrel on 127.0.0.1, a free port), for a browser: the app's
/// registrations as <see cref="TestHost.Configure"/> makes them, and one endpoint per <c>[Function]</c> method with an
/// <see cref="HttpTriggerAttribute"/> (its route and methods), each run through <see cref="OperatorGate"/> with
/// <see cref="OperatorFunctions.RequiredRole"/>, as <see cref="OperatorAuthMiddleware"/> runs it in the worker. The
/// function class is created per request from the services, as the worker does; its parameters are bound by type
/// (the request, a <see cref="CancellationToken"/>) and route values by name. A parameter it cannot bind fails the start.
/// </summary>
internal sealed class FunctionsHttpHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private FunctionsHttpHost(WebApplication app, Uri baseUrl)
    {
        _app = app;
        BaseUrl = baseUrl;
    }

    /// <summary>http://127.0.0.1:{port}/</summary>
    public Uri BaseUrl { get; }

    public IServiceProvider Services => _app.Services;

    public static async Task<FunctionsHttpHost> StartAsync(IDictionary<string, string?> settings, Action<IServiceCollection>? configureServices = null)
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions { EnvironmentName = Environments.Development });
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        builder.Services.AddRoutingCore();
        TestHost.Configure(builder, settings, configureServices);
        var app = builder.Build();
        app.UseRouting();
        foreach (var method in OperatorApi.HttpFunctionRoleTests.HttpFunctions())
        {
            Map(app, method);
        }
        await app.StartAsync();
        return new FunctionsHttpHost(app, new Uri(app.Urls.Single() + "/")); // the bound address, its port filled in
    }

    private static void Map(WebApplication app, MethodInfo method)
    {
        var trigger = method.GetParameters().Select(p => p.GetCustomAttribute<HttpTriggerAttribute>()).Single(t => t is not null)!;
        var type = method.DeclaringType!;
        var name = method.GetCustomAttribute<FunctionAttribute>()!.Name;
        var entryPoint = $"{type.FullName}.{method.Name}";
        var route = trigger.Route ?? throw new InvalidOperationException($"{entryPoint} has no route.");
        var binders = method.GetParameters().Select(p => Binder(entryPoint, route, p)).ToArray();
        var gate = app.Services.GetRequiredService<OperatorGate>();
        app.MapMethods("/" + route, [.. (trigger.Methods ?? []).Select(m => m.ToUpperInvariant())], async (HttpContext http) =>
        {
            var answer = await gate.RunAsync(http, name, OperatorFunctions.RequiredRole(entryPoint), async () =>
            {
                var function = ActivatorUtilities.CreateInstance(http.RequestServices, type);
                var result = method.Invoke(function, [.. binders.Select(bind => bind(http))]);
                if (result is Task task)
                {
                    await task;
                    return task.GetType().GetProperty("Result")?.GetValue(task);
                }
                return result;
            }, http.RequestAborted);
            await (answer as IResult ?? throw new InvalidOperationException($"{entryPoint} answered {answer?.GetType().Name ?? "null"}, not an IResult.")).ExecuteAsync(http);
        });
    }

    private static Func<HttpContext, object?> Binder(string entryPoint, string route, ParameterInfo parameter)
    {
        if (parameter.ParameterType == typeof(HttpRequest))
        {
            return http => http.Request;
        }
        if (parameter.ParameterType == typeof(CancellationToken))
        {
            return http => http.RequestAborted;
        }
        if (parameter.ParameterType == typeof(string) && (route.Contains("{" + parameter.Name + "}", StringComparison.Ordinal) || route.Contains("{*" + parameter.Name + "}", StringComparison.Ordinal)))
        {
            return http => http.Request.RouteValues[parameter.Name!]?.ToString();
        }
        throw new InvalidOperationException($"{entryPoint}: cannot bind parameter {parameter.Name} ({parameter.ParameterType.Name}); teach FunctionsHttpHost how the worker binds it.");
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
