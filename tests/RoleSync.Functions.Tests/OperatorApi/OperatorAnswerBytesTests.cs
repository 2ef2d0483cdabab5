namespace RoleSync.Functions.Tests.OperatorApi;

/// <summary>
/// The operator API's answers byte for byte (content type, member order, escaping): as the app writes them with the
/// test registrations, and as the worker host that Program.cs builds writes them.
/// </summary>
public sealed class OperatorAnswerBytesTests
{
    private const string InvalidQuery =
        """{"type":"https://httpstatuses.io/400","title":"Invalid query","status":400,"detail":"color: unknown query parameter; organizationId: must be \u0022org_\u0022 followed by 1-64 ASCII letters or digits","errors":["color: unknown query parameter","organizationId: must be \u0022org_\u0022 followed by 1-64 ASCII letters or digits"]}""";

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_problem_is_problem_json_with_charset_and_nothing_added(bool workerHost)
    {
        var function = new ListDeadLettersFunction(new DeadLetterReplayer(new FakeDeadLetterQueue(), new InMemoryMembershipLedger(), TestSigning.Signer(), TimeProvider.System, new FakeLogger<DeadLetterReplayer>()));

        var answer = await AnswerAsync(workerHost, "?color=blue&organizationId=acme", null, r => function.RunAsync(r, default));

        Assert.Equal((400, "application/problem+json; charset=utf-8", InvalidQuery), answer);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task An_outcome_is_json_with_charset_and_every_member(bool workerHost)
    {
        await using var h = await StartAsync();
        var function = new SubmitRoleChangeFunction(h.Processor, new FakeRoleChangeQueue(), TestSigning.Signer(), TimeProvider.System);

        var answer = await AnswerAsync(workerHost, "?dryRun=true", Plain("evt-1", role: "org:billing"), r => function.RunAsync(r, default));

        Assert.Equal((200, "application/json; charset=utf-8",
            $$"""{"outcome":"would-apply","eventId":"evt-1","organizationId":"{{OrgId}}","userId":"{{MemberId}}","role":"org:billing","reason":null,"detail":"org:member -\u003E org:billing","clerkTraceId":null}"""),
            answer);
    }

    /// <summary>Runs a function and executes its result with the worker host's services or the tests' registrations.</summary>
    private static async Task<(int Status, string? ContentType, string Body)> AnswerAsync<TResult>(
        bool workerHost, string query, string? body, Func<HttpRequest, Task<TResult>> function)
        where TResult : IResult
    {
        using var host = workerHost ? ProgramHost.Build() : null;
        using var registrations = new ServiceCollection().AddLogging().AddOperatorApiResults().BuildServiceProvider();
        var context = new DefaultHttpContext { RequestServices = host?.Services ?? registrations };
        context.Request.Method = body is null ? "GET" : "POST";
        context.Request.QueryString = new QueryString(query);
        context.Request.Body = new MemoryStream(Encoding.UTF8.GetBytes(body ?? ""));
        var response = new MemoryStream();
        context.Response.Body = response;

        await (await function(context.Request)).ExecuteAsync(context);

        return (context.Response.StatusCode, context.Response.ContentType, Encoding.UTF8.GetString(response.ToArray()));
    }
}
