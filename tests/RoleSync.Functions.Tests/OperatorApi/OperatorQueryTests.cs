using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.WebUtilities;

namespace RoleSync.Functions.Tests.OperatorApi;

/// <summary>The operator API's one place for query validation, driven directly.</summary>
public sealed class OperatorQueryTests
{
    private static IQueryCollection Query(string query) => new QueryCollection(QueryHelpers.ParseQuery(query));

    [Fact]
    public void Valid_values_are_read_and_the_function_key_is_known()
    {
        var query = new OperatorQuery(Query("?code=key&reason=RoleNotFound&organizationId=org_a1&limit=7&fromSequenceNumber=42"));

        Assert.Equal(("RoleNotFound", "org_a1", 7, 42L), (query.Reason(), query.OrganizationId(), query.Limit(50, 500), query.FromSequenceNumber()));
        Assert.Null(query.Problem("Invalid query"));
    }

    [Fact]
    public void Absent_values_take_their_defaults()
    {
        var query = new OperatorQuery(Query(""));

        Assert.Equal((null, null, 50, 0L), (query.Reason(), query.OrganizationId(), query.Limit(50, 500), query.FromSequenceNumber()));
        Assert.Null(query.Problem("Invalid query"));
    }

    [Fact]
    public void Every_error_is_listed_unknown_parameters_first()
    {
        var query = new OperatorQuery(Query("?limit=0&color=blue&fromSequenceNumber=x&reason=&organizationId=acme"));
        _ = (query.Reason(), query.OrganizationId(), query.Limit(50, 500), query.FromSequenceNumber());

        var problem = Assert.IsType<ProblemHttpResult>(query.Problem("Invalid query"));

        Assert.Equal(400, problem.StatusCode);
        Assert.Equal(
            ["color: unknown query parameter", "reason: must be 1-128 printable characters", "organizationId: must be \"org_\" followed by 1-64 ASCII letters or digits",
             "limit: must be a whole number from 1 to 500", "fromSequenceNumber: must be a whole number, 0 or more"],
            Assert.IsType<string[]>(problem.ProblemDetails.Extensions["errors"]));
    }

    [Theory]
    [InlineData("", false)]
    [InlineData("?dryRun=true", true)]
    [InlineData("?dryRun=False", false)]
    [InlineData("?dryRun=maybe", null)]
    public void DryRun_is_true_or_false(string query, bool? expected) => Assert.Equal(expected, OperatorQuery.DryRun(Query(query)));
}
