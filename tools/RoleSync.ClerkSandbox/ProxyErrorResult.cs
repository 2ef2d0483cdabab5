using Microsoft.AspNetCore.WebUtilities;

namespace RoleSync.ClerkSandbox;

/// <summary>Writes an error the way a proxy or gateway in front of (or instead of) Clerk would: no Clerk body, no trace id, no cf-ray.</summary>
internal sealed class ProxyErrorResult(int statusCode, ProxyPage page) : IResult
{
    public Task ExecuteAsync(HttpContext httpContext)
    {
        var response = httpContext.Response;
        response.StatusCode = statusCode;
        string reason = ReasonPhrases.GetReasonPhrase(statusCode) is { Length: > 0 } phrase ? phrase : "Error";
        (response.ContentType, string body) = page switch
        {
            ProxyPage.Html => ("text/html; charset=utf-8",
                $"<html>\r\n<head><title>{statusCode} {reason}</title></head>\r\n<body>\r\n<center><h1>{statusCode} {reason}</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n"),
            ProxyPage.PlainText => ("text/plain; charset=utf-8", $"{statusCode} {reason.ToLowerInvariant()}\n"),
            ProxyPage.Json => ("application/json", $$"""{"message":"{{reason}}"}"""),
            _ => throw new InvalidOperationException($"Unexpected page {page}."),
        };
        return response.WriteAsync(body, httpContext.RequestAborted);
    }
}
