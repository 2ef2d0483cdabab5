using System.Text.Json;
using Microsoft.Extensions.Configuration;
using RoleSync.Audit;
using HostingEnvironment = Microsoft.Extensions.Hosting.Internal.HostingEnvironment;

namespace RoleSync.Functions.Tests.OperatorApi;

/// <summary>
/// Principals as App Service Authentication hands them to the app: <see cref="Header"/> is an <c>X-MS-CLIENT-PRINCIPAL</c>
/// value; <see cref="SignIn"/> puts a verified principal straight into a request, as the middleware does, for tests
/// that call a function directly; <see cref="Gate"/> is the middleware's logic with a chosen trust setting.
/// </summary>
internal static class TestPrincipals
{
    public const string AliceOid = "9f0c6a4e-1b2d-4c3e-8f5a-6b7c8d9e0f10";

    /// <summary>Base64 of the platform's principal JSON with the object id, name and roles under the usual claim types.</summary>
    public static string Header(string name = "Alice", string objectId = AliceOid, params string[] roles)
    {
        var claims = new List<object>
        {
            new { typ = "http://schemas.microsoft.com/identity/claims/objectidentifier", val = objectId },
            new { typ = "name", val = name },
        };
        claims.AddRange(roles.Select(r => new { typ = "roles", val = r }));
        return Encode(JsonSerializer.Serialize(new { auth_typ = "aad", claims, name_typ = "name", role_typ = "roles" }));
    }

    public static string Encode(string json) => Convert.ToBase64String(Encoding.UTF8.GetBytes(json));

    /// <summary>Marks <paramref name="request"/> as coming from a verified principal (what the middleware leaves in Items).</summary>
    public static HttpRequest SignIn(HttpRequest request, string name = "Alice", string objectId = AliceOid, params string[] roles)
    {
        request.HttpContext.Items[OperatorPrincipal.ItemKey] = new OperatorPrincipal(objectId, name, roles);
        return request;
    }

    /// <summary>An authorizer: in <paramref name="environment"/>, with these platform settings and the unverified-principal switch.</summary>
    public static OperatorAuthorizer Authorizer(string environment = "Production", string? websiteAuthEnabled = "True", bool allowUnverified = false) =>
        new(Options.Create(new OperatorAuthOptions { AllowUnverifiedPrincipal = allowUnverified }),
            new HostingEnvironment { EnvironmentName = environment },
            new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { [OperatorAuthOptions.PlatformSetting] = websiteAuthEnabled }).Build(),
            new FakeLogger<OperatorAuthorizer>());

    public static OperatorGate Gate(IOperatorAuditLog audit, TimeProvider time, OperatorAuthorizer? authorizer = null, FakeLogger<OperatorAuditor>? log = null) =>
        new(authorizer ?? Authorizer(), new OperatorAuditor(audit, time, OperatorApiHttp.Services.GetRequiredService<IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions>>(), log ?? new FakeLogger<OperatorAuditor>()));
}
