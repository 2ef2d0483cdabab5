using Microsoft.Extensions.Logging.Abstractions;
using RoleSync.Quarantine;

namespace RoleSync.Functions.Tests.OperatorApi;

/// <summary><c>GET /api/status</c>: the quarantine as every host sees it (the state row), never the secret key.</summary>
public sealed class GetStatusFunctionTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 28, 12, 0, 0, TimeSpan.Zero);
    private readonly FakeTimeProvider _time = new(Now);

    private QuarantineCircuit Circuit(IQuarantineStore store, bool enabled = true) => new(store, new ClerkCallWindow(_time),
        Options.Create(new QuarantineOptions { Enabled = enabled }), _time,
        new ServiceCollection().AddMetrics().BuildServiceProvider().GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>(),
        NullLogger<QuarantineCircuit>.Instance);

    private async Task<StatusView> StatusAsync(QuarantineCircuit circuit)
    {
        var result = await new GetStatusFunction(circuit, _time).RunAsync(new DefaultHttpContext().Request, CancellationToken.None);
        return result.Value!;
    }

    [Fact]
    public async Task Status_shows_the_open_quarantine_its_trigger_and_next_probe_then_the_closed_one()
    {
        var store = new InMemoryQuarantineStore();
        var host = Circuit(store);
        Assert.False((await StatusAsync(host)).Quarantine.Active);

        await host.OpenAsync(QuarantineTriggers.ClerkUnauthorized, $"Clerk rejected the secret key {SecretKey}", OrgId);
        var open = (await StatusAsync(Circuit(store))).Quarantine; // another host: read from the row

        Assert.True(open.Enabled);
        Assert.True(open.Active);
        Assert.Equal(Now, open.Since);
        Assert.Equal(QuarantineTriggers.ClerkUnauthorized, open.Trigger);
        Assert.DoesNotContain(SecretKey, open.Detail);
        Assert.Equal(Now.AddMinutes(1), open.NextProbeAt);
        Assert.False(open.ProbeDue);
        Assert.Equal(0, open.Probes);

        _time.Advance(TimeSpan.FromMinutes(1));
        Assert.True((await StatusAsync(host)).Quarantine.ProbeDue);
        var claim = await host.TryClaimProbeAsync();
        await host.CompleteProbeAsync(claim!, succeeded: true, "Clerk accepted the key");
        var closed = (await StatusAsync(host)).Quarantine;

        Assert.False(closed.Active);
        Assert.Null(closed.NextProbeAt);
        Assert.Equal(1, closed.Probes);
        Assert.Equal(Now.AddMinutes(1), closed.ClosedAt);
        Assert.Equal(QuarantineTriggers.ClerkUnauthorized, closed.Trigger);
    }

    [Fact]
    public async Task Status_says_when_quarantine_is_off()
    {
        var status = await StatusAsync(Circuit(new InMemoryQuarantineStore(), enabled: false));

        Assert.False(status.Quarantine.Enabled);
        Assert.False(status.Quarantine.Active);
    }

    [Fact]
    public void Status_requires_the_reader_role_and_no_function_key()
    {
        var method = typeof(GetStatusFunction).GetMethod(nameof(GetStatusFunction.RunAsync))!;

        Assert.Equal(OperatorRoles.Reader, method.GetCustomAttribute<RequiresRoleAttribute>()!.Role);
        var metadata = JsonNode.Parse(File.ReadAllText(Path.Combine(TestPaths.FunctionsOutputDirectory, "functions.metadata")))!.AsArray();
        var function = Assert.Single(metadata, f => f!["name"]!.GetValue<string>() == GetStatusFunction.Name)!;
        var trigger = Assert.Single(function["bindings"]!.AsArray(), b => b!["type"]!.GetValue<string>() == "httpTrigger")!;
        Assert.Equal("Anonymous", trigger["authLevel"]!.GetValue<string>());
        Assert.Equal("api/status", trigger["route"]!.GetValue<string>());
    }
}
