using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using RoleSync.Clerk;

namespace RoleSync.Core.Tests.Clerk;

/// <summary>Start-up validation of the "Clerk" section: a bad setting fails with a message naming it.</summary>
public sealed class ClerkOptionsTests
{
    private static string Error(bool allowConfiguredSecret, params (string Key, string Value)[] settings)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value))).Build();
        using var services = new ServiceCollection().AddLogging().AddRoleSyncClerk(configuration, allowConfiguredSecret).BuildServiceProvider();
        return Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<ClerkOptions>>().Value).Message;
    }

    [Fact]
    public void Production_requires_key_vault_even_with_a_literal_key() =>
        Assert.Contains("Clerk:KeyVaultUri is not set: production configuration must read the Clerk secret key from Key Vault",
            Error(allowConfiguredSecret: false, ("Clerk:SecretKey", "sk_test_fake_literal_key")));

    [Fact]
    public void Development_without_any_key_source_says_so() =>
        Assert.Contains("no way to get the Clerk secret key", Error(allowConfiguredSecret: true));

    [Theory]
    [InlineData("Clerk:KeyVaultUri", "http://vault.example", "https")]
    [InlineData("Clerk:ApiUrl", "ftp://api.clerk.com", "Clerk:ApiUrl")]
    [InlineData("Clerk:RequestsPer10Seconds", "0", "RequestsPer10Seconds")]
    [InlineData("Clerk:MaxRetryAttempts", "99", "MaxRetryAttempts")]
    public void Invalid_values_are_named(string key, string value, string mention) =>
        Assert.Contains(mention, Error(allowConfiguredSecret: true, ("Clerk:SecretKey", "sk_test_fake_literal_key"), (key, value)));

    [Fact]
    public void The_long_lived_client_recycles_its_connections()
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection([new KeyValuePair<string, string?>("Clerk:SecretKey", "sk_test_fake_literal_key")]).Build();
        using var services = new ServiceCollection().AddLogging().AddRoleSyncClerk(configuration, allowConfiguredSecret: true).BuildServiceProvider();

        HttpMessageHandler? handler = services.GetRequiredService<IHttpMessageHandlerFactory>().CreateHandler(nameof(ClerkClient));
        while (handler is DelegatingHandler delegating)
        {
            handler = delegating.InnerHandler;
        }

        var sockets = Assert.IsType<SocketsHttpHandler>(handler);
        Assert.Equal(TimeSpan.FromMinutes(5), sockets.PooledConnectionLifetime);
    }
}
