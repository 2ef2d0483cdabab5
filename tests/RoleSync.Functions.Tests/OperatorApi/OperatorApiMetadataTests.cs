namespace RoleSync.Functions.Tests.OperatorApi;

/// <summary>The generated functions.metadata declares every operator endpoint anonymous at the Functions level (Entra ID roles are checked in code) and its route.</summary>
public sealed class OperatorApiMetadataTests
{
    [Theory]
    [InlineData(GetMembershipFunction.Name, "api/memberships/{organizationId}/{userId}", "get")]
    [InlineData(ListAuditFunction.Name, "api/audit", "get")]
    [InlineData(ListDeadLettersFunction.Name, "api/dead-letters", "get")]
    [InlineData(ReplayDeadLettersFunction.Name, "api/dead-letters/replay", "post")]
    public void Http_functions_are_anonymous_with_their_route_and_method(string name, string route, string method) => AssertTrigger(name, route, method, "Anonymous");

    /// <summary>The endpoints authorised by Entra ID app roles (<see cref="RequiresRoleAttribute"/>), not by a function key.</summary>
    [Theory]
    [InlineData(SubmitRoleChangeFunction.Name, "api/role-changes", "post", OperatorRoles.Operator)]
    [InlineData(GetMembershipHistoryFunction.Name, "api/memberships/{organizationId}/{userId}/history", "get", OperatorRoles.Reader)]
    public void Role_authorised_functions_are_anonymous_at_the_functions_level_and_name_their_role(string name, string route, string method, string role)
    {
        AssertTrigger(name, route, method, "Anonymous");
        var type = typeof(SubmitRoleChangeFunction).Assembly.GetExportedTypes().Single(t => t.GetField("Name")?.GetRawConstantValue() as string == name);
        Assert.Equal(role, type.GetMethod("RunAsync")!.GetCustomAttribute<RequiresRoleAttribute>()!.Role);
    }

    [Fact]
    public void The_synchronous_apply_route_is_gone()
    {
        var metadata = JsonNode.Parse(File.ReadAllText(Path.Combine(TestPaths.FunctionsOutputDirectory, "functions.metadata")))!.AsArray();

        Assert.DoesNotContain(metadata, f => f!["bindings"]!.AsArray().Any(b => b!["route"]?.GetValue<string>() is "role-changes/apply" or "api/role-changes/apply"));
    }

    /// <summary>
    /// host.json's empty route prefix lets the console live at <c>/console</c> beside the API, so every API route carries
    /// its own <c>api/</c> (the URLs operators and the OpenAPI document use did not change).
    /// </summary>
    [Fact]
    public void The_route_prefix_is_empty_and_every_api_route_starts_with_api()
    {
        var host = JsonNode.Parse(File.ReadAllText(TestPaths.InRepository("host.json")))!;
        Assert.Equal("", host["extensions"]!["http"]!["routePrefix"]!.GetValue<string>());
        var metadata = JsonNode.Parse(File.ReadAllText(Path.Combine(TestPaths.FunctionsOutputDirectory, "functions.metadata")))!.AsArray();
        var routes = metadata.SelectMany(f => f!["bindings"]!.AsArray()).Where(b => b!["type"]!.GetValue<string>() == "httpTrigger")
            .Select(b => b!["route"]!.GetValue<string>()).ToList();
        Assert.NotEmpty(routes);
        Assert.All(routes, r => Assert.True(r.StartsWith("api/", StringComparison.Ordinal) || r.StartsWith("console", StringComparison.Ordinal), r));
    }

    private static void AssertTrigger(string name, string route, string method, string authLevel)
    {
        var metadata = JsonNode.Parse(File.ReadAllText(Path.Combine(TestPaths.FunctionsOutputDirectory, "functions.metadata")))!.AsArray();

        var function = Assert.Single(metadata, f => f!["name"]!.GetValue<string>() == name)!;
        var trigger = Assert.Single(function["bindings"]!.AsArray(), b => b!["type"]!.GetValue<string>() == "httpTrigger")!;
        Assert.Equal(authLevel, trigger["authLevel"]!.GetValue<string>());
        Assert.Equal(route, trigger["route"]!.GetValue<string>());
        Assert.Equal([method], trigger["methods"]!.AsArray().Select(m => m!.GetValue<string>()));
    }
}
