using System.Collections.Immutable;
using RoleSync.Audit;

namespace RoleSync.Functions.Tests.OperatorApi;

/// <summary>The middleware leaves functions without an HTTP trigger alone (the queue trigger and the timer are not operator calls).</summary>
public sealed class OperatorAuthMiddlewareTests
{
    private static FunctionContext Context(string triggerType, string entryPoint)
    {
        var binding = new Mock<BindingMetadata>();
        binding.SetupGet(b => b.Type).Returns(triggerType);
        var definition = new Mock<FunctionDefinition>();
        definition.SetupGet(d => d.InputBindings).Returns(ImmutableDictionary<string, BindingMetadata>.Empty.Add("trigger", binding.Object));
        definition.SetupGet(d => d.EntryPoint).Returns(entryPoint);
        definition.SetupGet(d => d.Name).Returns("F");
        var context = new Mock<FunctionContext>();
        context.SetupGet(c => c.FunctionDefinition).Returns(definition.Object);
        context.SetupGet(c => c.Items).Returns(new Dictionary<object, object>());
        return context.Object;
    }

    [Theory]
    [InlineData("serviceBusTrigger")]
    [InlineData("timerTrigger")]
    public async Task Other_triggers_run_without_a_principal_or_an_audit(string trigger)
    {
        var audit = new InMemoryOperatorAuditLog();
        var middleware = new OperatorAuthMiddleware(TestPrincipals.Gate(audit, TimeProvider.System, TestPrincipals.Authorizer(websiteAuthEnabled: null)));
        var ran = false;

        await middleware.Invoke(Context(trigger, $"{typeof(ProcessRoleChangeFunction).FullName}.RunAsync"), _ =>
        {
            ran = true;
            return Task.CompletedTask;
        });

        Assert.True(ran);
        Assert.Empty(audit.Records);
    }

    [Fact]
    public async Task An_http_function_without_the_ASP_NET_Core_integration_is_an_error_not_a_pass()
    {
        var middleware = new OperatorAuthMiddleware(TestPrincipals.Gate(new InMemoryOperatorAuditLog(), TimeProvider.System));
        var ran = false;

        await Assert.ThrowsAsync<InvalidOperationException>(() => middleware.Invoke(Context("httpTrigger", $"{typeof(ListAuditFunction).FullName}.RunAsync"), _ =>
        {
            ran = true;
            return Task.CompletedTask;
        }));

        Assert.False(ran);
    }
}
