using RoleSync.Functions.Tests.OperatorApi;
using RoleSync.Functions.OperatorConsole;
using static RoleSync.Functions.Tests.OperatorApi.OperatorApiHttp;

namespace RoleSync.Functions.Tests.OperatorConsole;

/// <summary><see cref="ConsoleFunction"/> and <see cref="GetMeFunction"/> called directly: files, types, headers, 304, 404; the caller's view.</summary>
public sealed class ConsoleFunctionTests
{
    private static async Task<HttpResponse> Get(string? path, Dictionary<string, string>? headers = null)
    {
        var request = Request("GET", headers: headers, path: "/console/" + path);
        await new ConsoleFunction().Run(request, path).ExecuteAsync(request.HttpContext);
        request.HttpContext.Response.Body.Position = 0;
        return request.HttpContext.Response;
    }

    private static string Text(HttpResponse response) => new StreamReader(response.Body).ReadToEnd();

    private static void AssertSecurityHeaders(HttpResponse response)
    {
        Assert.Equal(ConsoleFunction.ContentSecurityPolicy, response.Headers.ContentSecurityPolicy.ToString());
        Assert.DoesNotContain("unsafe", ConsoleFunction.ContentSecurityPolicy, StringComparison.Ordinal);
        Assert.Equal(("nosniff", "no-referrer", "private, no-cache"),
            (response.Headers.XContentTypeOptions.ToString(), response.Headers["Referrer-Policy"].ToString(), response.Headers.CacheControl.ToString()));
    }

    [Theory]
    [InlineData(null, "text/html; charset=utf-8", "<!doctype html>")]
    [InlineData("", "text/html; charset=utf-8", "<!doctype html>")]
    [InlineData("index.html", "text/html; charset=utf-8", "<!doctype html>")]
    [InlineData("console.js", "text/javascript; charset=utf-8", "// RoleSync operator console")]
    [InlineData("console.css", "text/css; charset=utf-8", "/* RoleSync console")]
    public async Task Each_file_is_served_with_its_type_the_security_headers_and_an_etag(string? path, string contentType, string start)
    {
        var response = await Get(path);

        Assert.Equal((200, contentType), (response.StatusCode, response.ContentType));
        Assert.StartsWith(start, Text(response), StringComparison.Ordinal);
        Assert.Matches("^\"[0-9a-f]{32}\"$", response.Headers.ETag.ToString());
        AssertSecurityHeaders(response);
    }

    [Fact]
    public async Task A_request_with_the_current_etag_is_answered_304_without_a_body()
    {
        var etag = (await Get("console.js")).Headers.ETag.ToString();

        var response = await Get("console.js", new() { ["If-None-Match"] = etag });

        Assert.Equal((304, ""), (response.StatusCode, Text(response)));
        AssertSecurityHeaders(response);
        Assert.Equal(200, (await Get("console.js", new() { ["If-None-Match"] = "\"other\"" })).StatusCode);
    }

    [Theory]
    [InlineData("nope.js")]
    [InlineData("../host.json")]
    [InlineData("Console.js")]
    [InlineData("console.js/")]
    [InlineData("ConsoleFunction.cs")]
    public async Task Any_other_path_is_a_404_problem_with_the_same_headers(string path)
    {
        var response = await Get(path);

        Assert.Equal((404, "application/problem+json; charset=utf-8"), (response.StatusCode, response.ContentType));
        Assert.Contains("\"title\":\"Not found\"", Text(response), StringComparison.Ordinal);
        AssertSecurityHeaders(response);
    }

    [Fact]
    public async Task The_page_loads_only_the_console_s_own_files()
    {
        var html = Text(await Get(null));

        var references = System.Text.RegularExpressions.Regex.Matches(html, "(?:src|href)=\"(/[^\"]*)\"").Select(m => m.Groups[1].Value).ToList();
        Assert.Equal(["/console/console.css", "/console/console.js", "/.auth/login/aad?post_login_redirect_uri=/console"], references);
        foreach (var file in references.Where(r => r.StartsWith("/console/", StringComparison.Ordinal)))
        {
            Assert.Equal(200, (await Get(file["/console/".Length..])).StatusCode);
        }
    }

    [Theory]
    [InlineData(OperatorRoles.Reader, false)]
    [InlineData(OperatorRoles.Operator, true)]
    public async Task Me_is_the_verified_caller_and_whether_they_may_operate(string role, bool canOperate)
    {
        var request = TestPrincipals.SignIn(Request("GET"), name: "Alice", roles: [role]);

        var (status, _, json) = await Execute(request, new GetMeFunction().Run(request));

        Assert.Equal(200, status);
        Assert.Equal(("Alice", TestPrincipals.AliceOid, role, canOperate),
            (json["name"]!.GetValue<string>(), json["objectId"]!.GetValue<string>(), json["roles"]!.AsArray().Single()!.GetValue<string>(), json["canOperate"]!.GetValue<bool>()));
    }
}
