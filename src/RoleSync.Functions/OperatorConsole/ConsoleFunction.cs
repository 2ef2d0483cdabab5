using System.Security.Cryptography;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Net.Http.Headers;
using RoleSync.Functions.OperatorApi;

namespace RoleSync.Functions.OperatorConsole;

/// <summary>
/// <c>GET /console/{path}</c> (<see cref="OperatorRoles.Reader"/>): the operator console, three static files embedded in
/// this assembly (<c>OperatorConsole/index.html</c>, <c>console.css</c>, <c>console.js</c>; <c>/console</c> is the page). The
/// page calls the operator API with the same signed-in session, so it shows and does only what the caller's roles allow.
/// Every answer carries <see cref="SecurityHeaders"/> (a CSP without inline code); files revalidate by ETag (304).
/// An unknown path is a 404 problem.
/// </summary>
public sealed class ConsoleFunction
{
    public const string Name = "Console";

    /// <summary>Only the app's own files; no inline script or style, no frames, no form posts, no base URL.</summary>
    public const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    /// <summary>The headers of every console answer.</summary>
    public static readonly IReadOnlyDictionary<string, string> SecurityHeaders = new Dictionary<string, string>
    {
        [HeaderNames.ContentSecurityPolicy] = ContentSecurityPolicy,
        [HeaderNames.XContentTypeOptions] = "nosniff",
        ["Referrer-Policy"] = "no-referrer",
        [HeaderNames.CacheControl] = "private, no-cache",
    };

    private static readonly Dictionary<string, (byte[] Content, string ContentType, EntityTagHeaderValue ETag)> Files = new(StringComparer.Ordinal)
    {
        ["index.html"] = Load("index.html", "text/html; charset=utf-8"),
        ["console.css"] = Load("console.css", "text/css; charset=utf-8"),
        ["console.js"] = Load("console.js", "text/javascript; charset=utf-8"),
    };

    [Function(Name)]
    [RequiresRole(OperatorRoles.Reader)]
    public Results<FileContentHttpResult, ProblemHttpResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "console/{*path}")] HttpRequest request,
        string? path)
    {
        ArgumentNullException.ThrowIfNull(request);
        foreach (var (name, value) in SecurityHeaders)
        {
            request.HttpContext.Response.Headers[name] = value;
        }
        if (!Files.TryGetValue(string.IsNullOrEmpty(path) ? "index.html" : path, out var file))
        {
            return OperatorProblems.Problem(StatusCodes.Status404NotFound, "Not found", "The console has no such file; open /console.");
        }
        return TypedResults.File(file.Content, file.ContentType, entityTag: file.ETag);
    }

    private static (byte[], string, EntityTagHeaderValue) Load(string name, string contentType)
    {
        using var stream = typeof(ConsoleFunction).Assembly.GetManifestResourceStream("console/" + name)
            ?? throw new InvalidOperationException($"The console file {name} is not embedded in {typeof(ConsoleFunction).Assembly.GetName().Name}.");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        var content = copy.ToArray();
        return (content, contentType, new EntityTagHeaderValue($"\"{Convert.ToHexStringLower(SHA256.HashData(content))[..32]}\""));
    }
}
