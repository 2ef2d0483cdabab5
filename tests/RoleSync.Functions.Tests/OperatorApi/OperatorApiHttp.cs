namespace RoleSync.Functions.Tests.OperatorApi;

/// <summary>Real ASP.NET Core request objects for the operator functions, and running a function's result as the integration does.</summary>
internal static class OperatorApiHttp
{
    /// <summary>What ASP.NET Core needs to execute the functions' results, registered as the app registers it.</summary>
    public static readonly IServiceProvider Services = new ServiceCollection().AddLogging().AddOperatorApiResults().BuildServiceProvider();

    public static HttpRequest Request(string method, string? body = null, string query = "", Dictionary<string, string>? headers = null, string path = "/api/x")
    {
        var context = new DefaultHttpContext { RequestServices = Services };
        context.Response.Body = new MemoryStream();
        context.Request.Method = method;
        context.Request.Path = path;
        context.Request.QueryString = new QueryString(query);
        if (body is not null)
        {
            var bytes = Encoding.UTF8.GetBytes(body);
            context.Request.Body = new MemoryStream(bytes);
            context.Request.ContentLength = bytes.Length;
            context.Request.ContentType = "application/json";
        }
        foreach (var (k, v) in headers ?? [])
        {
            context.Request.Headers[k] = v;
        }
        return context.Request;
    }

    /// <summary>Executes <paramref name="result"/> against the request's context, as the ASP.NET Core integration does; then reads the response (JSON; other content as one JSON string).</summary>
    public static async Task<(int Status, string ContentType, JsonNode Json)> Execute(HttpRequest request, object? result)
    {
        await Assert.IsAssignableFrom<IResult>(result).ExecuteAsync(request.HttpContext);
        var response = request.HttpContext.Response;
        response.Body.Position = 0;
        return (response.StatusCode, response.ContentType!, response.ContentType!.Contains("json", StringComparison.Ordinal)
            ? JsonNode.Parse(response.Body)!
            : JsonValue.Create(new StreamReader(response.Body).ReadToEnd())); // a page (the console): its text as a JSON string
    }
}
