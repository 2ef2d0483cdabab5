namespace RoleSync.Functions.Tests.OperatorApi;

/// <summary>The generated functions.metadata declares every operator endpoint anonymous at the Functions level (Entra ID roles are checked in code) and its route.</summary>
public sealed class OperatorApiMetadataTests
{
    [Theory]
    [InlineData(ApplyRoleChangeFunction.Name, "role-changes/apply", "post")]
    [InlineData(GetMembershipFunction.Name, "memberships/{organizationId}/{userId}", "get")]
    [InlineData(ListAuditFunction.Name, "audit", "get")]
    public void Http_functions_are_anonymous_with_their_route_and_method(string name, string route, string method)
    {
        var metadata = JsonNode.Parse(File.ReadAllText(Path.Combine(TestPaths.FunctionsOutputDirectory, "functions.metadata")))!.AsArray();

        var function = Assert.Single(metadata, f => f!["name"]!.GetValue<string>() == name)!;
        var trigger = Assert.Single(function["bindings"]!.AsArray(), b => b!["type"]!.GetValue<string>() == "httpTrigger")!;
        Assert.Equal("Anonymous", trigger["authLevel"]!.GetValue<string>());
        Assert.Equal(route, trigger["route"]!.GetValue<string>());
        Assert.Equal([method], trigger["methods"]!.AsArray().Select(m => m!.GetValue<string>()));
    }
}
