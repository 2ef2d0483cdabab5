namespace RoleSync.Functions.Tests.OperatorApi;

/// <summary>Calls of the operator API's function methods with real ASP.NET Core request objects, and their answers.</summary>
internal static class OperatorCalls
{
    /// <summary>What ASP.NET Core needs to execute the functions' results, registered as the app registers it.</summary>
    private static readonly IServiceProvider Services = new ServiceCollection().AddLogging().AddOperatorApiResults().BuildServiceProvider();

    public static HttpRequest Request(string method, string? body = null, string query = "", Dictionary<string, string>? headers = null)
    {
        var context = new DefaultHttpContext { RequestServices = Services };
        context.Response.Body = new MemoryStream();
        context.Request.Method = method;
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

    /// <summary>
    /// Runs a function on <paramref name="request"/> and executes its result against the request's context, as the
    /// ASP.NET Core integration does; then reads the response.
    /// </summary>
    public static async Task<(int Status, string ContentType, JsonNode Json)> Call<TResult>(HttpRequest request, Func<HttpRequest, Task<TResult>> function)
        where TResult : IResult
    {
        var result = await function(request);
        await result.ExecuteAsync(request.HttpContext);
        var response = request.HttpContext.Response;
        response.Body.Position = 0;
        return (response.StatusCode, response.ContentType!, JsonNode.Parse(response.Body)!);
    }
}
