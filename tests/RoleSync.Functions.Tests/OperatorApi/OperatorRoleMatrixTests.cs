using RoleSync.Functions.OperatorConsole;
using RoleSync.Guard;
using RoleSync.Audit;
using static RoleSync.Functions.Tests.OperatorApi.OperatorApiHttp;

namespace RoleSync.Functions.Tests.OperatorApi;

/// <summary>
/// Every operator route through <see cref="OperatorGate"/> (what the middleware runs) with the role its method
/// declares: allowed with its role, 401 without a principal, 403 with the wrong role (and then the function never runs).
/// </summary>
public sealed class OperatorRoleMatrixTests
{
    private const string Reader = OperatorRoles.Reader;
    private const string Operator = OperatorRoles.Operator;

    /// <summary>(route, the caller's roles or null for no principal, the expected status).</summary>
    public static TheoryData<string, string[]?, int> Cases() => new()
    {
        { GetMembershipFunction.Name, [Reader], 404 },
        { GetMembershipFunction.Name, [Operator], 404 },
        { GetMembershipFunction.Name, null, 401 },
        { GetMembershipFunction.Name, ["Other.Role"], 403 },
        { ListDeadLettersFunction.Name, [Reader], 200 },
        { ListDeadLettersFunction.Name, [Operator], 200 },
        { ListDeadLettersFunction.Name, null, 401 },
        { ListDeadLettersFunction.Name, [], 403 },
        { ListAuditFunction.Name, [Reader], 200 },
        { ListAuditFunction.Name, [Operator], 200 },
        { ListAuditFunction.Name, null, 401 },
        { ListAuditFunction.Name, [], 403 },
        { ReplayDeadLettersFunction.Name, [Operator], 200 },
        { ReplayDeadLettersFunction.Name, null, 401 },
        { ReplayDeadLettersFunction.Name, [Reader], 403 },
        { DeadLetterGroupsFunction.Name, [Reader], 200 },
        { DeadLetterGroupsFunction.Name, null, 401 },
        { DeadLetterGroupsFunction.Name, [], 403 },
        { EditAndRetryFunction.Name, [Operator], 404 },
        { EditAndRetryFunction.Name, null, 401 },
        { EditAndRetryFunction.Name, [Reader], 403 },
        { SubmitRoleChangeFunction.Name, [Operator], 202 },
        { SubmitRoleChangeFunction.Name, null, 401 },
        { SubmitRoleChangeFunction.Name, [Reader], 403 },
        { GetStatusFunction.Name, [Reader], 200 },
        { GetStatusFunction.Name, null, 401 },
        { GetStatusFunction.Name, [], 403 },
        { GetMembershipHistoryFunction.Name, [Reader], 200 },
        { GetMembershipHistoryFunction.Name, [Operator], 200 },
        { GetMembershipHistoryFunction.Name, null, 401 },
        { GetMembershipHistoryFunction.Name, [], 403 },
        { ListHoldsFunction.Name, [Reader], 200 },
        { ListHoldsFunction.Name, [Operator], 200 },
        { ListHoldsFunction.Name, null, 401 },
        { ListHoldsFunction.Name, [], 403 },
        { ApproveHoldsFunction.Name, [Operator], 200 },
        { ApproveHoldsFunction.Name, null, 401 },
        { ApproveHoldsFunction.Name, [Reader], 403 },
        { RejectHoldsFunction.Name, [Operator], 200 },
        { RejectHoldsFunction.Name, null, 401 },
        { RejectHoldsFunction.Name, [Reader], 403 },
        { GetMeFunction.Name, [Reader], 200 },
        { GetMeFunction.Name, [Operator], 200 },
        { GetMeFunction.Name, null, 401 },
        { GetMeFunction.Name, [], 403 },
        { ConsoleFunction.Name, [Reader], 200 },
        { ConsoleFunction.Name, [Operator], 200 },
        { ConsoleFunction.Name, null, 401 },
        { ConsoleFunction.Name, ["Other.Role"], 403 },
        { GetOverviewFunction.Name, [Reader], 200 },
        { GetOverviewFunction.Name, [Operator], 200 },
        { GetOverviewFunction.Name, null, 401 },
        { GetOverviewFunction.Name, [], 403 },
        { VerifyMembershipFunction.Name, [Reader], 404 },
        { VerifyMembershipFunction.Name, [Operator], 404 },
        { VerifyMembershipFunction.Name, null, 401 },
        { VerifyMembershipFunction.Name, [], 403 },
        { LookupMembershipFunction.Name, [Reader], 200 },
        { LookupMembershipFunction.Name, [Operator], 200 },
        { LookupMembershipFunction.Name, null, 401 },
        { LookupMembershipFunction.Name, [], 403 },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Each_route_serves_its_role_and_refuses_the_rest(string route, string[]? roles, int expected)
    {
        await using var h = await StartAsync();
        var audit = new InMemoryOperatorAuditLog();
        var (type, method, body, run) = Route(route, h, audit);
        var request = Request(method, body, headers: roles is null ? null : new() { [OperatorAuthorizer.PrincipalHeader] = TestPrincipals.Header(roles: roles) });
        var ran = false;

        var answer = await TestPrincipals.Gate(audit, TimeProvider.System).RunAsync(request.HttpContext, route,
            OperatorFunctions.RequiredRole(EntryPoint(type)), async () =>
            {
                ran = true;
                return await run(request);
            }, default);
        var (status, _, json) = await Execute(request, answer);

        Assert.Equal(expected, status);
        Assert.Equal(expected is not (401 or 403), ran);
        if (expected == 403)
        {
            Assert.Equal(OperatorFunctions.RequiredRole(EntryPoint(type)), json["requiredRole"]!.GetValue<string>());
        }
        // A POST that ran is one record; a POST refused to an authenticated principal (403) is one "refused" record
        // naming them; a 401 names nobody and a GET is not audited.
        Assert.Equal(method == "POST" && (ran || expected == 403) ? 1 : 0, audit.Records.Count);
        if (method == "POST" && expected == 403)
        {
            var refused = Assert.Single(audit.Records);
            Assert.Equal((OperatorAuditStatus.Refused, 403, route), (refused.Status, refused.StatusCode, refused.FunctionName));
            Assert.Equal(TestPrincipals.AliceOid, refused.PrincipalObjectId);
        }
    }

    private static (Type Type, string Method, string? Body, Func<HttpRequest, Task<object?>> Run) Route(string route, RoleSyncHarness h, IOperatorAuditLog audit) => route switch
    {
        GetMembershipFunction.Name => (typeof(GetMembershipFunction), "GET", null,
            async r => await new GetMembershipFunction(h.Ledger, new GuardHolds(new InMemoryGuardStore(), TimeProvider.System)).RunAsync(r, OrgId, MemberId, default)),
        ListDeadLettersFunction.Name => (typeof(ListDeadLettersFunction), "GET", null,
            async r => await new ListDeadLettersFunction(Replayer()).RunAsync(r, default)),
        ListAuditFunction.Name => (typeof(ListAuditFunction), "GET", null,
            async r => await new ListAuditFunction(audit, TimeProvider.System).RunAsync(r, default)),
        ReplayDeadLettersFunction.Name => (typeof(ReplayDeadLettersFunction), "POST", "{\"sequenceNumbers\":[1]}",
            async r => await new ReplayDeadLettersFunction(OperatorApiTests.Idempotent(Replayer())).RunAsync(r, default)),
        DeadLetterGroupsFunction.Name => (typeof(DeadLetterGroupsFunction), "GET", null,
            async r => await new DeadLetterGroupsFunction(new DeadLetterGrouper(new FakeDeadLetterQueue(), TimeProvider.System)).RunAsync(r, default)),
        EditAndRetryFunction.Name => (typeof(EditAndRetryFunction), "POST", Plain("evt-1", role: "org:billing"),
            async r => await new EditAndRetryFunction(new DeadLetterEditor(new FakeDeadLetterQueue(), new InMemoryOperatorRequestStore(), TestSigning.Signer(), TimeProvider.System, new FakeLogger<DeadLetterEditor>())).RunAsync(r, "1", default)),
        SubmitRoleChangeFunction.Name => (typeof(SubmitRoleChangeFunction), "POST", Plain("evt-1", role: "org:billing"),
            async r => await new SubmitRoleChangeFunction(h.Processor, new FakeRoleChangeQueue(), TestSigning.Signer(), TimeProvider.System).RunAsync(r, default)),
        GetStatusFunction.Name => (typeof(GetStatusFunction), "GET", null,
            async r => await new GetStatusFunction(Quarantine(), TimeProvider.System).RunAsync(r, default)),
        GetMembershipHistoryFunction.Name => (typeof(GetMembershipHistoryFunction), "GET", null,
            async r => await new GetMembershipHistoryFunction(new RoleSync.History.InMemoryMembershipHistory()).RunAsync(r, OrgId, MemberId, default)),
        ListHoldsFunction.Name => (typeof(ListHoldsFunction), "GET", null,
            async r => await new ListHoldsFunction(Holds(), Microsoft.Extensions.Options.Options.Create(new RoleSync.Guard.GuardOptions())).RunAsync(r, default)),
        ApproveHoldsFunction.Name => (typeof(ApproveHoldsFunction), "POST", null,
            async r => await new ApproveHoldsFunction(Holds()).RunAsync(r, OrgId, default)),
        RejectHoldsFunction.Name => (typeof(RejectHoldsFunction), "POST", null,
            async r => await new RejectHoldsFunction(Holds()).RunAsync(r, OrgId, default)),
        GetOverviewFunction.Name => (typeof(GetOverviewFunction), "GET", null,
            async r => await GetOverviewFunctionTests.Overview(TimeProvider.System).RunAsync(r, default)),
        VerifyMembershipFunction.Name => (typeof(VerifyMembershipFunction), "GET", null,
            async r => await new VerifyMembershipFunction(h.Ledger, h.Services.GetRequiredService<MembershipConverger>(), TimeProvider.System).RunAsync(r, OrgId, MemberId, default)),
        LookupMembershipFunction.Name => (typeof(LookupMembershipFunction), "GET", null,
            async r =>
            {
                r.QueryString = new QueryString($"?organizationId={OrgId}&userId={MemberId}");
                return await new LookupMembershipFunction(h.Ledger, h.Services.GetRequiredService<RoleSync.Lifecycle.UserResolver>(), TimeProvider.System).RunAsync(r, default);
            }),
        GetMeFunction.Name => (typeof(GetMeFunction), "GET", null,
            r => Task.FromResult<object?>(new GetMeFunction().Run(r))),
        ConsoleFunction.Name => (typeof(ConsoleFunction), "GET", null,
            r => Task.FromResult<object?>(new ConsoleFunction().Run(r, null))),
        _ => throw new ArgumentOutOfRangeException(nameof(route), route, "no such route in this test"),
    };

    /// <summary>The entry point (<c>Namespace.Type.Method</c>, as in functions.metadata) of <paramref name="type"/>'s function method.</summary>
    private static string EntryPoint(Type type) =>
        $"{type.FullName}.{type.GetMethods().Single(m => m.GetCustomAttribute<FunctionAttribute>() is not null).Name}";

    private static RoleSync.Quarantine.QuarantineCircuit Quarantine() => new(new RoleSync.Quarantine.InMemoryQuarantineStore(),
        new RoleSync.Quarantine.ClerkCallWindow(TimeProvider.System), Microsoft.Extensions.Options.Options.Create(new RoleSync.Quarantine.QuarantineOptions()), TimeProvider.System,
        new ServiceCollection().AddMetrics().BuildServiceProvider().GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>(),
        Microsoft.Extensions.Logging.Abstractions.NullLogger<RoleSync.Quarantine.QuarantineCircuit>.Instance);

    private static RoleSync.Guard.GuardHolds Holds() => new(new RoleSync.Guard.InMemoryGuardStore(), TimeProvider.System);

    private static DeadLetterReplayer Replayer() =>
        new(new FakeDeadLetterQueue(), new InMemoryMembershipLedger(), TestSigning.Signer(), TimeProvider.System, new FakeLogger<DeadLetterReplayer>());
}
