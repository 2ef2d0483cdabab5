using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace RoleSync.Functions.OperatorApi;

/// <summary>Registrations of the operator API's identity check and audit (the middleware itself is added by <see cref="Extensions.AddRoleSyncFunctions{TBuilder}"/>).</summary>
internal static class OperatorAuthRegistration
{
    /// <summary>
    /// <see cref="OperatorAuthOptions"/> (start-up fails when <c>OperatorAuth:AllowUnverifiedPrincipal</c> is set outside
    /// Development), <see cref="OperatorAuthorizer"/>, <see cref="OperatorAuditor"/> and <see cref="OperatorGate"/>.
    /// The audit log (<see cref="RoleSync.Audit.IOperatorAuditLog"/>) is the core's.
    /// </summary>
    public static IServiceCollection AddRoleSyncOperatorAuth(this IServiceCollection services, bool development)
    {
        services.AddOptions<OperatorAuthOptions>()
            .BindConfiguration(OperatorAuthOptions.SectionName)
            .Validate(o => !o.AllowUnverifiedPrincipal || development,
                "OperatorAuth:AllowUnverifiedPrincipal is for local development only and is refused outside the Development environment: operator identities must come from App Service Authentication (WEBSITE_AUTH_ENABLED=True).")
            .ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<OperatorAuthorizer>();
        services.TryAddSingleton<OperatorAuditor>();
        services.TryAddSingleton<OperatorGate>();
        return services;
    }
}
