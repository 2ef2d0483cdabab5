namespace RoleSync.Functions.Tests.OperatorApi;

/// <summary>The generated functions.metadata declares every operator endpoint anonymous at the Functions level (Entra ID roles are checked in code) and its route.</summary>
public sealed class OperatorApiMetadataTests
{
    [Theory]
    [InlineData(GetMembershipFunction.Name, "memberships/{organizationId}/{userId}", "get")]
    [InlineData(ListAuditFunction.Name, "audit", "get")]
    [InlineData(ListDeadLettersFunction.Name, "dead-letters", "get")]
    [InlineData(ReplayDeadLettersFunction.Name, "dead-letters/replay", "post")]
    public void Http_functions_are_anonymous_with_their_route_and_method(string name, string route, string method) => AssertTrigger(name, route, method, "Anonymous");

    /// <summary>The endpoints authorised by Entra ID app roles (<see cref="RequiresRoleAttribute"/>), not by a function key.</summary>
    [Theory]
    [InlineData(SubmitRoleChangeFunction.Name, "role-changes", "post", OperatorRoles.Operator)]
    [InlineData(GetMembershipHistoryFunction.Name, "memberships/{organizationId}/{userId}/history", "get", OperatorRoles.Reader)]
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

        Assert.DoesNotContain(metadata, f => f!["bindings"]!.AsArray().Any(b => b!["route"]?.GetValue<string>() == "role-changes/apply"));
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
