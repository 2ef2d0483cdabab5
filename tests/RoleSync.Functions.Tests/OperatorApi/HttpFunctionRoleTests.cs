namespace RoleSync.Functions.Tests.OperatorApi;

/// <summary>
/// Every HTTP function of the app declares the role it requires and leaves authentication to the code (anonymous at
/// the Functions level, see <see cref="OperatorAuthorizer"/>): a new function without <see cref="RequiresRoleAttribute"/>
/// fails here (and would be refused at run time).
/// </summary>
public sealed class HttpFunctionRoleTests
{
    /// <summary>Every [Function] method of the Functions assembly with an HTTP trigger.</summary>
    internal static IEnumerable<MethodInfo> HttpFunctions() =>
        typeof(Extensions).Assembly.GetTypes()
            .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static))
            .Where(m => m.GetCustomAttribute<FunctionAttribute>() is not null
                && m.GetParameters().Any(p => p.GetCustomAttribute<HttpTriggerAttribute>() is not null));

    [Fact]
    public void Every_http_function_declares_a_known_role_and_is_anonymous_at_the_functions_level()
    {
        var functions = HttpFunctions().ToList();
        Assert.NotEmpty(functions);

        var missing = functions.Where(m => m.GetCustomAttribute<RequiresRoleAttribute>()?.Role is not (OperatorRoles.Reader or OperatorRoles.Operator))
            .Select(m => $"{m.DeclaringType!.Name}.{m.Name} ([Function(\"{m.GetCustomAttribute<FunctionAttribute>()!.Name}\")])").ToList();
        Assert.True(missing.Count == 0, "HTTP functions without [RequiresRole(OperatorRoles.Reader or OperatorRoles.Operator)]: " + string.Join(", ", missing));

        var keyed = functions.Where(m => m.GetParameters().Single(p => p.GetCustomAttribute<HttpTriggerAttribute>() is not null)
            .GetCustomAttribute<HttpTriggerAttribute>()!.AuthLevel != AuthorizationLevel.Anonymous).Select(m => m.DeclaringType!.Name).ToList();
        Assert.True(keyed.Count == 0, "HTTP functions not at AuthorizationLevel.Anonymous (operators authenticate with Entra ID, not a function key): " + string.Join(", ", keyed));
    }

    [Fact]
    public void State_changing_methods_require_the_operator_role()
    {
        var weak = HttpFunctions().Where(m =>
        {
            var methods = m.GetParameters().Single(p => p.GetCustomAttribute<HttpTriggerAttribute>() is not null).GetCustomAttribute<HttpTriggerAttribute>()!.Methods ?? [];
            return methods.Any(x => !x.Equals("get", StringComparison.OrdinalIgnoreCase)) && m.GetCustomAttribute<RequiresRoleAttribute>()?.Role != OperatorRoles.Operator;
        }).Select(m => m.DeclaringType!.Name).ToList();

        Assert.True(weak.Count == 0, "HTTP functions that change state without [RequiresRole(OperatorRoles.Operator)]: " + string.Join(", ", weak));
    }

    [Fact]
    public void The_middleware_finds_each_role_from_the_entry_point_in_the_generated_metadata()
    {
        var metadata = JsonNode.Parse(File.ReadAllText(Path.Combine(TestPaths.FunctionsOutputDirectory, "functions.metadata")))!.AsArray();
        var http = metadata.Where(f => f!["bindings"]!.AsArray().Any(b => b!["type"]!.GetValue<string>() == "httpTrigger")).ToList();

        Assert.Equal(HttpFunctions().Count(), http.Count);
        foreach (var function in http)
        {
            var entryPoint = function!["entryPoint"]!.GetValue<string>();
            var method = HttpFunctions().Single(m => $"{m.DeclaringType!.FullName}.{m.Name}" == entryPoint);
            Assert.Equal(method.GetCustomAttribute<RequiresRoleAttribute>()!.Role, OperatorFunctions.RequiredRole(entryPoint));
        }
        Assert.Null(OperatorFunctions.RequiredRole("RoleSync.Functions.NoSuchType.RunAsync"));
        Assert.Null(OperatorFunctions.RequiredRole($"{typeof(ProcessRoleChangeFunction).FullName}.RunAsync"));
    }
}
