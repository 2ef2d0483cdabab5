using static RoleSync.Functions.Tests.OperatorApi.OperatorApiHttp;

namespace RoleSync.Functions.Tests.OperatorApi;

/// <summary>Who is served: the platform's principal parsed, its roles checked, and nothing trusted unless Easy Auth is on.</summary>
public sealed class OperatorAuthorizerTests
{
    private static HttpRequest WithPrincipal(string? header, Dictionary<string, string>? more = null)
    {
        var headers = new Dictionary<string, string>(more ?? []);
        if (header is not null)
        {
            headers[OperatorAuthorizer.PrincipalHeader] = header;
        }
        return Request("GET", headers: headers);
    }

    private static async Task<(int Status, JsonNode Json)> Refusal(OperatorAuthorization decision, HttpRequest request)
    {
        Assert.NotNull(decision.Problem);
        var (status, type, json) = await Execute(request, decision.Problem);
        Assert.Equal(status == 403, decision.Principal is not null); // a 403 names who asked (for the audit), a 401 nobody
        Assert.Equal("application/problem+json; charset=utf-8", type);
        return (status, json);
    }

    [Fact]
    public void A_valid_principal_is_parsed_with_object_id_name_and_roles()
    {
        var decision = TestPrincipals.Authorizer().Authorize(WithPrincipal(TestPrincipals.Header("Alice Admin", roles: [OperatorRoles.Operator, "Other.Role"])), OperatorRoles.Operator);

        Assert.Null(decision.Problem);
        Assert.Equal(new OperatorPrincipal(TestPrincipals.AliceOid, "Alice Admin", [OperatorRoles.Operator, "Other.Role"]).DisplayName, decision.Principal!.DisplayName);
        Assert.Equal([OperatorRoles.Operator, "Other.Role"], decision.Principal.Roles);
    }

    [Theory]
    [InlineData("""{"auth_typ":"aad","claims":[{"typ":"oid","val":"o-1"},{"typ":"http://schemas.microsoft.com/ws/2008/06/identity/claims/role","val":"RoleSync.Reader"},{"typ":"preferred_username","val":"bob@contoso.com"}],"name_typ":"http://schemas.xmlsoap.org/ws/2005/05/identity/claims/name","role_typ":"http://schemas.microsoft.com/ws/2008/06/identity/claims/role"}""", "bob@contoso.com (o-1)")]
    [InlineData("""{"auth_typ":"aad","claims":[{"typ":"http://schemas.microsoft.com/identity/claims/objectidentifier","val":"o-2"},{"typ":"custom_role","val":"RoleSync.Reader"},{"typ":"display","val":"Carol"}],"name_typ":"display","role_typ":"custom_role"}""", "Carol (o-2)")]
    [InlineData("""{"auth_typ":"aad","claims":[{"typ":"oid","val":"o-3"},{"typ":"roles","val":"RoleSync.Reader"},{"typ":"http://schemas.xmlsoap.org/ws/2005/05/identity/claims/upn","val":"dan@contoso.com"}]}""", "dan@contoso.com (o-3)")]
    [InlineData("""{"auth_typ":"aad","claims":[{"typ":"oid","val":"o-4"},{"typ":"roles","val":"RoleSync.Reader"}],"unknown":1}""", "o-4 (o-4)")]
    public void Claim_types_are_read_under_each_of_their_mapped_names(string json, string caller)
    {
        var decision = TestPrincipals.Authorizer().Authorize(WithPrincipal(TestPrincipals.Encode(json)), OperatorRoles.Reader);

        Assert.Null(decision.Problem);
        Assert.Equal(caller, decision.Principal!.DisplayName);
    }

    [Theory]
    [InlineData(null, "Not authenticated", "bearer token")]
    [InlineData("", "Not authenticated", "bearer token")]
    [InlineData("not base64 at all!", "Invalid principal", "not valid Base64")]
    [InlineData("eyJub3QganNvbg==", "Invalid principal", "not the platform's principal JSON")] // {"not json
    [InlineData("eyJhdXRoX3R5cCI6ImFhZCJ9", "Invalid principal", "no claims")] // {"auth_typ":"aad"}
    [InlineData("eyJjbGFpbXMiOlt7InR5cCI6InJvbGVzIiwidmFsIjoiUm9sZVN5bmMuT3BlcmF0b3IifV19", "Invalid principal", "no object id")] // roles, no oid
    public async Task A_missing_or_unreadable_principal_is_401_with_a_specific_detail(string? header, string title, string detail)
    {
        var request = WithPrincipal(header);

        var (status, json) = await Refusal(TestPrincipals.Authorizer().Authorize(request, OperatorRoles.Reader), request);

        Assert.Equal(401, status);
        Assert.Equal(title, json["title"]!.GetValue<string>());
        Assert.Contains(detail, json["detail"]!.GetValue<string>());
        Assert.Equal("Bearer", request.HttpContext.Response.Headers.WWWAuthenticate.ToString());
    }

    [Fact]
    public async Task A_forged_principal_name_header_is_not_trusted()
    {
        var request = WithPrincipal(null, new() { ["X-MS-CLIENT-PRINCIPAL-NAME"] = "admin@contoso.com", ["X-MS-CLIENT-PRINCIPAL-ID"] = "o-9" });

        var (status, _) = await Refusal(TestPrincipals.Authorizer().Authorize(request, OperatorRoles.Reader), request);

        Assert.Equal(401, status);
        Assert.Equal("unauthenticated", OperatorRequest.Caller(request));
    }

    [Theory]
    [InlineData(new string[0], OperatorRoles.Reader, "no app role")]
    [InlineData(new[] { OperatorRoles.Reader }, OperatorRoles.Operator, OperatorRoles.Reader)]
    [InlineData(new[] { "RoleSync.reader" }, OperatorRoles.Reader, "RoleSync.reader")]
    public async Task A_principal_without_the_route_role_is_403_naming_the_role(string[] roles, string required, string has)
    {
        var request = WithPrincipal(TestPrincipals.Header(roles: roles));

        var (status, json) = await Refusal(TestPrincipals.Authorizer().Authorize(request, required), request);

        Assert.Equal(403, status);
        Assert.Equal(required, json["requiredRole"]!.GetValue<string>());
        Assert.Contains($"requires the app role {required}", json["detail"]!.GetValue<string>());
        Assert.Contains(has, json["detail"]!.GetValue<string>());
    }

    [Fact]
    public void Operator_satisfies_reader_routes_but_not_the_other_way_round()
    {
        Assert.Null(TestPrincipals.Authorizer().Authorize(WithPrincipal(TestPrincipals.Header(roles: [OperatorRoles.Operator])), OperatorRoles.Reader).Problem);
        Assert.NotNull(TestPrincipals.Authorizer().Authorize(WithPrincipal(TestPrincipals.Header(roles: [OperatorRoles.Reader])), OperatorRoles.Operator).Problem);
    }

    [Fact]
    public async Task A_function_that_declares_no_role_is_refused()
    {
        var request = WithPrincipal(TestPrincipals.Header(roles: [OperatorRoles.Operator, OperatorRoles.Reader]));

        var (status, json) = await Refusal(TestPrincipals.Authorizer().Authorize(request, null), request);

        Assert.Equal(403, status);
        Assert.Contains("declares no required app role", json["detail"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("Production", null, false)]
    [InlineData("Production", "False", false)]
    [InlineData("Production", "", false)]
    [InlineData("Production", "true", true)]
    [InlineData("Production", "True", true)]
    [InlineData("Development", null, false)]
    public async Task A_well_formed_principal_is_refused_unless_App_Service_Authentication_is_on(string environment, string? websiteAuthEnabled, bool served)
    {
        var request = WithPrincipal(TestPrincipals.Header(roles: [OperatorRoles.Operator]));

        var decision = TestPrincipals.Authorizer(environment, websiteAuthEnabled).Authorize(request, OperatorRoles.Reader);

        if (served)
        {
            Assert.NotNull(decision.Principal);
            return;
        }
        var (status, json) = await Refusal(decision, request);
        Assert.Equal(401, status);
        Assert.Contains("WEBSITE_AUTH_ENABLED is not True", json["detail"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("Development", true)]
    [InlineData("Production", false)]
    [InlineData("Staging", false)]
    public void The_unverified_principal_switch_works_in_Development_only(string environment, bool served)
    {
        var decision = TestPrincipals.Authorizer(environment, websiteAuthEnabled: null, allowUnverified: true)
            .Authorize(WithPrincipal(TestPrincipals.Header(roles: [OperatorRoles.Reader])), OperatorRoles.Reader);

        Assert.Equal(served, decision.Principal is not null);
    }

    [Theory]
    [InlineData("POST", "Sec-Fetch-Site", "cross-site", 403)]
    [InlineData("POST", "Sec-Fetch-Site", "same-site", 403)]
    [InlineData("DELETE", "Sec-Fetch-Site", "cross-site", 403)]
    [InlineData("POST", "Origin", "https://evil.example", 403)]
    [InlineData("POST", "Origin", "null", 403)]
    [InlineData("POST", "Sec-Fetch-Site", "same-origin", 200)]
    [InlineData("POST", "Sec-Fetch-Site", "none", 200)]
    [InlineData("POST", "Origin", "https://func-rolesync.azurewebsites.net", 200)]
    [InlineData("POST", null, null, 200)] // curl, scripts, the CLI: no browser headers
    [InlineData("GET", "Sec-Fetch-Site", "cross-site", 200)]
    public async Task A_state_changing_request_a_browser_sent_from_another_site_is_refused(string method, string? header, string? value, int expected)
    {
        var headers = new Dictionary<string, string> { [OperatorAuthorizer.PrincipalHeader] = TestPrincipals.Header(roles: [OperatorRoles.Operator]) };
        if (header is not null)
        {
            headers[header] = value!;
        }
        var request = Request(method, headers: headers);
        request.Host = new HostString("func-rolesync.azurewebsites.net");

        var decision = TestPrincipals.Authorizer().Authorize(request, OperatorRoles.Operator);

        if (expected == 200)
        {
            Assert.Null(decision.Problem);
            return;
        }
        var (status, json) = await Refusal(decision, request);
        Assert.Equal((403, "Cross-site request"), (status, json["title"]!.GetValue<string>()));
        Assert.Contains(value!, json["detail"]!.GetValue<string>(), StringComparison.Ordinal);
    }
}
