using RoleSync.History;
using static RoleSync.Functions.Tests.OperatorApi.OperatorApiHttp;

namespace RoleSync.Functions.Tests.OperatorApi;

/// <summary><c>GET /api/memberships/{organizationId}/{userId}/history</c>: validation, paging, the entries' wire form.</summary>
public sealed class MembershipHistoryApiTests
{
    /// <summary>Runs a function on <paramref name="request"/> and executes its result as the ASP.NET Core integration does; then reads the response.</summary>
    private static async Task<(int Status, string ContentType, JsonNode Json)> Call<TResult>(HttpRequest request, Func<HttpRequest, Task<TResult>> function)
        where TResult : IResult => await Execute(request, await function(request));

    private static readonly DateTimeOffset T0 = new(2026, 11, 28, 12, 0, 0, TimeSpan.Zero);

    private static MembershipHistoryEntry Entry(int i, HistoryOutcome outcome = HistoryOutcome.Applied, EntryPoint entryPoint = EntryPoint.Queue, string? principal = null) =>
        new(OrgId, MemberId, $"evt-{i}", T0.AddMinutes(i), T0.AddMinutes(i), "org:admin", "workday", null, outcome, null, null, null, T0.AddMinutes(i), entryPoint, principal, 1);

    [Fact]
    public async Task The_history_is_paged_newest_first_with_the_continuation_token()
    {
        var history = new InMemoryMembershipHistory();
        for (int i = 0; i < 5; i++)
        {
            await history.AppendAsync(Entry(i));
        }
        var function = new GetMembershipHistoryFunction(history);

        var (status, _, page1) = await Call(Request("GET", query: "?limit=2"), r => function.RunAsync(r, OrgId, MemberId, default));
        var token1 = page1["continuationToken"]!.GetValue<string>();
        var (_, _, page2) = await Call(Request("GET", query: $"?limit=2&continuationToken={Uri.EscapeDataString(token1)}"), r => function.RunAsync(r, OrgId, MemberId, default));
        var token2 = page2["continuationToken"]!.GetValue<string>();
        var (_, _, page3) = await Call(Request("GET", query: $"?limit=2&continuationToken={Uri.EscapeDataString(token2)}"), r => function.RunAsync(r, OrgId, MemberId, default));

        Assert.Equal(200, status);
        Assert.Equal((OrgId, MemberId), (page1["organizationId"]!.GetValue<string>(), page1["userId"]!.GetValue<string>()));
        Assert.Equal(["evt-4", "evt-3", "evt-2", "evt-1", "evt-0"],
            new[] { page1, page2, page3 }.SelectMany(p => p["entries"]!.AsArray()).Select(e => e!["eventId"]!.GetValue<string>()));
        Assert.Null(page3["continuationToken"]);
    }

    [Fact]
    public async Task Entries_name_their_outcome_entry_point_and_principal_in_kebab_case()
    {
        var history = new InMemoryMembershipHistory();
        await history.AppendAsync(Entry(1, HistoryOutcome.RepairedByVerification, EntryPoint.EditAndRetry, "alice@contoso.com"));

        var (_, _, json) = await Call(Request("GET"), r => new GetMembershipHistoryFunction(history).RunAsync(r, OrgId, MemberId, default));

        var entry = json["entries"]![0]!;
        Assert.Equal(("repaired-by-verification", "edit-and-retry", "alice@contoso.com"),
            (entry["outcome"]!.GetValue<string>(), entry["entryPoint"]!.GetValue<string>(), entry["principal"]!.GetValue<string>()));
        Assert.Equal(T0.AddMinutes(1), entry["effectiveAt"]!.GetValue<DateTimeOffset>());
    }

    [Fact]
    public async Task An_unknown_membership_has_an_empty_history()
    {
        var (status, _, json) = await Call(Request("GET"), r => new GetMembershipHistoryFunction(new InMemoryMembershipHistory()).RunAsync(r, OrgId, "user_never", default));

        Assert.Equal(200, status);
        Assert.Empty(json["entries"]!.AsArray());
    }

    [Theory]
    [InlineData("org_../../x", MemberId, "", "organizationId")]
    [InlineData(OrgId, "bob", "", "userId")]
    [InlineData(OrgId, MemberId, "?limit=0", "limit")]
    [InlineData(OrgId, MemberId, "?limit=501", "limit")]
    [InlineData(OrgId, MemberId, "?limit=ten", "limit")]
    [InlineData(OrgId, MemberId, "?continuationToken=a%0Ab", "continuationToken")]
    [InlineData(OrgId, MemberId, "?colour=blue", "colour")]
    public async Task Ids_and_the_query_are_validated(string org, string user, string query, string field)
    {
        var function = new GetMembershipHistoryFunction(new InMemoryMembershipHistory());

        var (status, type, json) = await Call(Request("GET", query: query), r => function.RunAsync(r, org, user, default));

        Assert.Equal(400, status);
        Assert.StartsWith("application/problem+json", type);
        Assert.StartsWith(field + ":", json["errors"]![0]!.GetValue<string>());
    }

    [Theory]
    [InlineData("garbage")]
    [InlineData("1!2")]
    public async Task A_token_no_page_gave_is_never_a_server_error_on_the_table_history(string token)
    {
        var history = new TableMembershipHistory(new Azure.Data.Tables.TableClient(await Azurite.GetConnectionStringAsync(), Azurite.NewTableName("histapi")));
        await history.AppendAsync(Entry(1));

        var (status, _, json) = await Call(Request("GET", query: $"?continuationToken={token}"), r => new GetMembershipHistoryFunction(history).RunAsync(r, OrgId, MemberId, default));

        // The Tables SDK reads an unknown token as a position (Azurite: an empty page); one it cannot read is a 400.
        Assert.True(status is 200 or 400, $"status {status}");
        Assert.True(status == 200 ? json["entries"] is not null : json["errors"]![0]!.GetValue<string>() == OperatorQuery.InvalidContinuationToken);
    }
}
