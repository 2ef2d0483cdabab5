using System.Net.Http.Headers;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;

namespace RoleSync.KeyVaultFake.Tests;

/// <summary>The wire protocol, checked with a plain HttpClient.</summary>
public sealed class ProtocolTests
{
    private const string Challenge =
        "Bearer authorization=\"https://login.microsoftonline.com/00000000-0000-0000-0000-000000000000\", resource=\"https://vault.azure.net\"";

    [Theory]
    [InlineData(null)]
    [InlineData("Basic dXNlcjpwYXNz")]
    [InlineData("Bearer")]
    public async Task A_request_without_a_bearer_token_gets_the_challenge_and_is_not_counted(string? authorization)
    {
        await using var fake = await KeyVaultFake.StartAsync();
        fake.SetSecret("clerk-secret-key", "sk_test_one");
        using var http = fake.CreateHttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "secrets/clerk-secret-key?api-version=2025-07-01");
        request.Headers.TryAddWithoutValidation("Authorization", authorization);

        using var response = await http.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(Challenge, Assert.Single(response.Headers.GetValues("WWW-Authenticate")));
        Assert.DoesNotContain("sk_test_one", body, StringComparison.Ordinal);
        Assert.Equal(0, fake.SecretReads);
    }

    [Fact]
    public async Task A_secret_bundle_has_the_Key_Vault_shape()
    {
        await using var fake = await KeyVaultFake.StartAsync();
        var version = fake.SetSecret("clerk-secret-key", "sk_test_one");
        using var http = fake.CreateHttpClient();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "anything");

        using var response = await http.GetAsync(new Uri("secrets/clerk-secret-key/?api-version=2025-07-01", UriKind.Relative));
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var root = json.RootElement;
        var attributes = root.GetProperty("attributes");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("sk_test_one", root.GetProperty("value").GetString());
        Assert.Equal($"{fake.VaultUri}secrets/clerk-secret-key/{version}", root.GetProperty("id").GetString());
        Assert.True(attributes.GetProperty("enabled").GetBoolean());
        Assert.InRange(attributes.GetProperty("created").GetInt64(), DateTimeOffset.UtcNow.AddMinutes(-5).ToUnixTimeSeconds(), DateTimeOffset.UtcNow.AddMinutes(5).ToUnixTimeSeconds());
        Assert.Equal(attributes.GetProperty("created").GetInt64(), attributes.GetProperty("updated").GetInt64());
        Assert.Equal("Recoverable+Purgeable", attributes.GetProperty("recoveryLevel").GetString());
        Assert.Equal(JsonValueKind.Object, root.GetProperty("tags").ValueKind);
    }

    [Fact]
    public async Task Forbidden_has_the_Key_Vault_error_body()
    {
        await using var fake = await KeyVaultFake.StartAsync();
        fake.SetSecret("clerk-secret-key", "sk_test_one");
        fake.FailWith = 403;
        using var http = fake.CreateHttpClient();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "anything");

        using var response = await http.GetAsync(new Uri("secrets/clerk-secret-key?api-version=2025-07-01", UriKind.Relative));
        var body = await response.Content.ReadAsStringAsync();
        var error = JsonDocument.Parse(body).RootElement.GetProperty("error");

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("Forbidden", error.GetProperty("code").GetString());
        Assert.StartsWith("Caller is not authorized", error.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal("ForbiddenByRbac", error.GetProperty("innererror").GetProperty("code").GetString());
        Assert.DoesNotContain("sk_test_one", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Not_found_names_the_secret()
    {
        await using var fake = await KeyVaultFake.StartAsync();
        using var http = fake.CreateHttpClient();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "anything");

        using var response = await http.GetAsync(new Uri("secrets/no-such-secret?api-version=2025-07-01", UriKind.Relative));
        var error = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("error");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("SecretNotFound", error.GetProperty("code").GetString());
        Assert.Contains("no-such-secret", error.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_request_without_api_version_is_400()
    {
        await using var fake = await KeyVaultFake.StartAsync();
        fake.SetSecret("clerk-secret-key", "sk_test_one");
        using var http = fake.CreateHttpClient();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "anything");

        using var response = await http.GetAsync(new Uri("secrets/clerk-secret-key", UriKind.Relative));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Theory]
    [InlineData("")]
    [InlineData("has_underscore")]
    [InlineData("has/slash")]
    public async Task SetSecret_rejects_names_Key_Vault_would_reject(string name)
    {
        await using var fake = await KeyVaultFake.StartAsync();

        Assert.Throws<ArgumentException>(() => fake.SetSecret(name, "value"));
    }

    [Fact]
    public async Task The_certificate_is_public_for_loopback_and_valid_for_a_day()
    {
        await using var fake = await KeyVaultFake.StartAsync();
        var certificate = fake.Certificate;
        var names = certificate.Extensions.OfType<X509SubjectAlternativeNameExtension>().Single();

        Assert.Equal("https", fake.VaultUri.Scheme);
        Assert.Equal("127.0.0.1", fake.VaultUri.Host);
        Assert.Equal("/", fake.VaultUri.AbsolutePath);
        Assert.False(certificate.HasPrivateKey);
        Assert.Contains(IPAddress.Loopback, names.EnumerateIPAddresses());
        Assert.Contains("localhost", names.EnumerateDnsNames());
        Assert.InRange(certificate.NotAfter - certificate.NotBefore, TimeSpan.FromHours(24), TimeSpan.FromHours(25));
    }
}
