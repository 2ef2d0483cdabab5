namespace RoleSync.Functions.Tests.OperatorApi;

/// <summary>The generated functions.metadata declares every operator endpoint with function-key auth and its route.</summary>
public sealed class OperatorApiMetadataTests
{
    [Theory]
    [InlineData(ApplyRoleChangeFunction.Name, "role-changes/apply", "post")]
    [InlineData(GetMembershipFunction.Name, "memberships/{organizationId}/{userId}", "get")]
    public void Http_functions_require_a_function_key(string name, string route, string method)
    {
        var metadata = JsonNode.Parse(File.ReadAllText(Path.Combine(TestPaths.FunctionsOutputDirectory, "functions.metadata")))!.AsArray();

        var function = Assert.Single(metadata, f => f!["name"]!.GetValue<string>() == name)!;
        var trigger = Assert.Single(function["bindings"]!.AsArray(), b => b!["type"]!.GetValue<string>() == "httpTrigger")!;
        Assert.Equal("Function", trigger["authLevel"]!.GetValue<string>());
        Assert.Equal(route, trigger["route"]!.GetValue<string>());
        Assert.Equal([method], trigger["methods"]!.AsArray().Select(m => m!.GetValue<string>()));
    }
}
