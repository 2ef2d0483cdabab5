using System.Collections.Concurrent;
using System.Reflection;
using Microsoft.Azure.Functions.Worker;

namespace RoleSync.Functions.OperatorApi;

/// <summary>The role each function of this app requires: its method's <see cref="RequiresRoleAttribute"/>, found from the function's entry point.</summary>
internal static class OperatorFunctions
{
    private static readonly ConcurrentDictionary<string, string?> Roles = new(StringComparer.Ordinal);

    /// <summary>Whether <paramref name="function"/> has an HTTP trigger.</summary>
    public static bool IsHttp(FunctionDefinition function) =>
        function.InputBindings.Values.Any(b => b.Type.Equals("httpTrigger", StringComparison.OrdinalIgnoreCase));

    /// <summary>
    /// The role of the method <paramref name="entryPoint"/> names (<c>Namespace.Type.Method</c>, as in functions.metadata),
    /// or null when it declares none or is not a function of this assembly: the caller then refuses the request.
    /// </summary>
    public static string? RequiredRole(string entryPoint) => Roles.GetOrAdd(entryPoint, static entry =>
    {
        var dot = entry.LastIndexOf('.');
        var type = dot > 0 ? typeof(OperatorFunctions).Assembly.GetType(entry[..dot]) : null;
        var method = type?.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static)
            .FirstOrDefault(m => m.Name == entry[(dot + 1)..] && m.GetCustomAttribute<FunctionAttribute>() is not null);
        return method?.GetCustomAttribute<RequiresRoleAttribute>()?.Role;
    });
}
