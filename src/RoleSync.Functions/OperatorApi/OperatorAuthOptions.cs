namespace RoleSync.Functions.OperatorApi;

/// <summary>
/// Configuration section "OperatorAuth". Operator requests are served only when App Service Authentication (Easy
/// Auth) is on, which the platform says with <c>WEBSITE_AUTH_ENABLED=True</c>: only then are the principal headers
/// the platform's and not the caller's. <see cref="AllowUnverifiedPrincipal"/> lifts that for local runs and tests.
/// </summary>
public sealed class OperatorAuthOptions
{
    public const string SectionName = "OperatorAuth";

    /// <summary>The platform's app setting that says App Service Authentication is enabled.</summary>
    public const string PlatformSetting = "WEBSITE_AUTH_ENABLED";

    /// <summary>
    /// Development only (start-up fails elsewhere): trust an <c>X-MS-CLIENT-PRINCIPAL</c> header without Easy Auth,
    /// so tests and <c>func start</c> can act as a principal. <c>OperatorAuth__AllowUnverifiedPrincipal=true</c>.
    /// </summary>
    public bool AllowUnverifiedPrincipal { get; set; }
}
