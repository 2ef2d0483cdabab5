namespace RoleSync.Core.Tests.Clerk;

/// <summary>Start-up validation of the "Clerk" section: a bad setting fails with a message naming it.</summary>
public sealed class ClerkOptionsTests
{
    private static IHost Host(bool allowConfiguredSecret, string environment, params (string Key, string Value)[] settings)
    {
        var builder = Microsoft.Extensions.Hosting.Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = environment });
        builder.Configuration.AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value)));
        builder.AddRoleSyncClerk(allowConfiguredSecret);
        return builder.Build();
    }

    private static string Error(bool allowConfiguredSecret, params (string Key, string Value)[] settings) =>
        Error(allowConfiguredSecret, Environments.Development, settings);

    private static string Error(bool allowConfiguredSecret, string environment, params (string Key, string Value)[] settings)
    {
        using var host = Host(allowConfiguredSecret, environment, settings);
        var error = Assert.ThrowsAny<Exception>(() => host.Services.GetRequiredService<IStartupValidator>().Validate());
        return error is AggregateException all ? string.Join("\n", all.InnerExceptions.Select(e => e.Message)) : error.Message;
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
    [InlineData("Clerk:SecretCacheDuration", "00:00:00", "Clerk:SecretCacheDuration")]
    [InlineData("Clerk:AttemptTimeout", "00:10:00", "Clerk:AttemptTimeout")]
    public void Invalid_values_are_named(string key, string value, string mention) =>
        Assert.Contains(mention, Error(allowConfiguredSecret: true, ("Clerk:SecretKey", "sk_test_fake_literal_key"), (key, value)));

    [Fact]
    public void An_empty_budget_setting_means_the_default()
    {
        // The Bicep sets Clerk__RequestsPer10Seconds to '' when its parameter is 0.
        using var host = Host(allowConfiguredSecret: true, Environments.Production, ("Clerk:SecretKey", "sk_test_fake_literal_key"), ("Clerk:RequestsPer10Seconds", ""));
        host.Services.GetRequiredService<IStartupValidator>().Validate();
        Assert.Null(host.Services.GetRequiredService<IOptions<ClerkBudgetOptions>>().Value.RequestsPer10Seconds);
    }

    [Theory]
    [InlineData("https://api.clerk.com", "1001", false)]
    [InlineData("https://api.clerk.com", "1000", true)]   // 100 %: a deployment's choice
    [InlineData("http://127.0.0.1:5111", "100000", true)] // the sandbox: no real Clerk behind it
    public void The_budget_is_at_most_clerks_limit_unless_clerk_is_the_loopback_sandbox(string url, string budget, bool accepted)
    {
        using var host = Host(allowConfiguredSecret: true, Environments.Production, ("Clerk:SecretKey", "sk_test_fake_literal_key"), ("Clerk:ApiUrl", url), ("Clerk:RequestsPer10Seconds", budget));
        var validate = () => host.Services.GetRequiredService<IStartupValidator>().Validate();
        if (accepted)
        {
            validate();
        }
        else
        {
            Assert.Contains("Clerk:RequestsPer10Seconds must be at most 1000", Assert.ThrowsAny<Exception>(validate).Message);
        }
    }

    [Theory]
    [InlineData("http://api.clerk.example")]
    [InlineData("http://10.0.0.5:8080")]
    public void Outside_Development_the_api_url_must_be_https(string url) =>
        Assert.Contains("Clerk:ApiUrl must be an absolute https URL",
            Error(allowConfiguredSecret: true, Environments.Production, ("Clerk:SecretKey", "sk_test_fake_literal_key"), ("Clerk:ApiUrl", url)));

    [Theory]
    [InlineData("Production", "https://api.clerk.com")]
    [InlineData("Production", "http://127.0.0.1:5111")] // loopback: the Clerk sandbox; the key does not leave the machine
    [InlineData("Production", "http://localhost:5111")]
    [InlineData("Development", "http://clerk-proxy.dev.example")]
    public void Https_loopback_and_Development_urls_are_accepted(string environment, string url)
    {
        using var host = Host(allowConfiguredSecret: true, environment, ("Clerk:SecretKey", "sk_test_fake_literal_key"), ("Clerk:ApiUrl", url));

        host.Services.GetRequiredService<IStartupValidator>().Validate();
        Assert.Equal(new Uri(url), host.Services.GetRequiredService<IOptions<ClerkOptions>>().Value.ApiUrl);
    }

    [Fact]
    public void The_long_lived_client_recycles_its_connections()
    {
        using var host = Host(allowConfiguredSecret: true, Environments.Development, ("Clerk:SecretKey", "sk_test_fake_literal_key"));

        HttpMessageHandler? handler = host.Services.GetRequiredService<IHttpMessageHandlerFactory>().CreateHandler(nameof(ClerkClient));
        while (handler is DelegatingHandler delegating)
        {
            handler = delegating.InnerHandler;
        }

        var sockets = Assert.IsType<SocketsHttpHandler>(handler);
        Assert.Equal(TimeSpan.FromMinutes(5), sockets.PooledConnectionLifetime);
    }
}
