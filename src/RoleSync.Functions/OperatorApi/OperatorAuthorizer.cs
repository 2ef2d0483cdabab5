using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace RoleSync.Functions.OperatorApi;

/// <summary>
/// Decides whether an operator request is served (fails closed): 401 when principal headers cannot be trusted (App
/// Service Authentication off, see <see cref="OperatorAuthOptions"/>), when no principal came, or when it cannot be
/// read; 403 naming the role the route needs when the principal lacks it (or the function declares none); else the
/// principal; 403 too for a state-changing request a browser sent from another site (<see cref="CrossSite"/>). Only
/// <c>X-MS-CLIENT-PRINCIPAL</c> counts: <c>X-MS-CLIENT-PRINCIPAL-NAME</c> alone proves nothing.
/// </summary>
internal sealed partial class OperatorAuthorizer(
    IOptions<OperatorAuthOptions> options, IHostEnvironment environment, IConfiguration configuration, ILogger<OperatorAuthorizer> logger)
{
    public const string PrincipalHeader = "X-MS-CLIENT-PRINCIPAL";

    private readonly bool _trusted =
        string.Equals(configuration[OperatorAuthOptions.PlatformSetting], "True", StringComparison.OrdinalIgnoreCase)
        || (options.Value.AllowUnverifiedPrincipal && environment.IsDevelopment());

    public OperatorAuthorization Authorize(HttpRequest request, string? requiredRole)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!_trusted)
        {
            LogUntrusted(logger, request.Path);
            return Unauthorized(request, "Authentication is not configured",
                $"App Service Authentication is not enabled for this app ({OperatorAuthOptions.PlatformSetting} is not True), so no principal can be trusted: operator requests are refused.");
        }
        var header = request.Headers[PrincipalHeader].ToString();
        if (string.IsNullOrWhiteSpace(header))
        {
            return Unauthorized(request, "Not authenticated", "No authenticated principal: call with a Microsoft Entra ID bearer token for the RoleSync operator API.");
        }
        var (principal, error) = ClientPrincipalParser.Parse(header);
        if (principal is null)
        {
            return Unauthorized(request, "Invalid principal", error!);
        }
        if (requiredRole is null)
        {
            return Forbidden("No role declared", "This function declares no required app role, so it is refused (fail closed).", null, principal);
        }
        if (!principal.HasRole(requiredRole))
        {
            var has = principal.Roles.Count == 0 ? "no app role" : string.Join(", ", principal.Roles);
            return Forbidden("Missing role", $"This endpoint requires the app role {requiredRole}; {principal.DisplayName} has {has}.", requiredRole, principal);
        }
        if (!HttpMethods.IsGet(request.Method) && !HttpMethods.IsHead(request.Method) && CrossSite(request) is { } site)
        {
            LogCrossSite(logger, principal.DisplayName, request.Path, site);
            return new OperatorAuthorization(principal, OperatorProblems.Problem(StatusCodes.Status403Forbidden, "Cross-site request",
                $"A request that changes state was sent by a browser from another site ({site}); only the console's own pages may call it with the signed-in session."));
        }
        return new OperatorAuthorization(principal, null);
    }

    /// <summary>
    /// Where a browser says a request came from, when that is not this app: <c>Sec-Fetch-Site</c> other than
    /// <c>same-origin</c>/<c>none</c>, else an <c>Origin</c> whose host is not the request's. Null for the console's own
    /// calls and for clients that are not browsers (they send neither). This keeps another site from using an
    /// operator's Easy Auth session cookie (CSRF) for POSTs; GETs change nothing.
    /// </summary>
    internal static string? CrossSite(HttpRequest request)
    {
        var site = request.Headers["Sec-Fetch-Site"].ToString();
        if (site.Length > 0)
        {
            return site is "same-origin" or "none" ? null : "Sec-Fetch-Site: " + site;
        }
        var origin = request.Headers.Origin.ToString();
        return origin.Length == 0
            || (Uri.TryCreate(origin, UriKind.Absolute, out var uri) && string.Equals(uri.Authority, request.Host.Value, StringComparison.OrdinalIgnoreCase))
            ? null
            : "Origin: " + origin;
    }

    private static OperatorAuthorization Unauthorized(HttpRequest request, string title, string detail)
    {
        request.HttpContext.Response.Headers.WWWAuthenticate = "Bearer";
        return new OperatorAuthorization(null, OperatorProblems.Problem(StatusCodes.Status401Unauthorized, title, detail));
    }

    private OperatorAuthorization Forbidden(string title, string detail, string? requiredRole, OperatorPrincipal principal)
    {
        LogForbidden(logger, principal.DisplayName, requiredRole);
        return new OperatorAuthorization(principal, OperatorProblems.Problem(StatusCodes.Status403Forbidden, title, detail,
            new Dictionary<string, object?> { ["requiredRole"] = requiredRole }));
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Operator request to {Path} refused: App Service Authentication is not enabled (WEBSITE_AUTH_ENABLED), so principal headers cannot be trusted")]
    private static partial void LogUntrusted(ILogger logger, PathString path);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Operator request by {Caller} refused: missing app role {RequiredRole}")]
    private static partial void LogForbidden(ILogger logger, string caller, string? requiredRole);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Operator request by {Caller} to {Path} refused: a browser sent it from another site ({Site})")]
    private static partial void LogCrossSite(ILogger logger, string caller, PathString path, string site);
}
