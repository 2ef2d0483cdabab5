using System.Net.Sockets;
using System.Security.Authentication;

namespace RoleSync.KeyVaultFake.Tests;

/// <summary>Failures as the real SecretClient sees them.</summary>
public sealed class FailureTests
{
    // A bound on "quickly": a hang ends in OperationCanceledException, which fails ThrowsAsync<RequestFailedException>.
    private static readonly TimeSpan Quickly = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task FailWith_403_is_a_Forbidden_RequestFailedException_until_cleared()
    {
        await using var fake = await KeyVaultFake.StartAsync();
        fake.SetSecret("clerk-secret-key", "sk_test_one");
        var client = fake.CreateClient();

        fake.FailWith = 403;
        var error = await Assert.ThrowsAsync<RequestFailedException>(() => client.GetSecretAsync("clerk-secret-key"));
        fake.FailWith = null;
        KeyVaultSecret secret = await client.GetSecretAsync("clerk-secret-key");

        Assert.Equal(403, error.Status);
        Assert.Equal("Forbidden", error.ErrorCode);
        Assert.Equal("sk_test_one", secret.Value);
        Assert.Equal(2, fake.SecretReads);
    }

    [Fact]
    public async Task FailWith_503_is_retried_maxRetries_times_then_thrown()
    {
        await using var fake = await KeyVaultFake.StartAsync();
        fake.SetSecret("clerk-secret-key", "sk_test_one");
        fake.FailWith = 503;
        using var timeout = new CancellationTokenSource(Quickly);

        var error = await Assert.ThrowsAsync<RequestFailedException>(
            () => fake.CreateClient(maxRetries: 2).GetSecretAsync("clerk-secret-key", cancellationToken: timeout.Token));

        Assert.Equal(503, error.Status);
        Assert.Equal("ServiceUnavailable", error.ErrorCode);
        Assert.Equal(3, fake.SecretReads);
    }

    [Theory]
    [InlineData(399)]
    [InlineData(600)]
    public async Task FailWith_rejects_statuses_that_are_not_errors(int status)
    {
        await using var fake = await KeyVaultFake.StartAsync();

        Assert.Throws<ArgumentOutOfRangeException>(() => fake.FailWith = status);
        Assert.Null(fake.FailWith);
    }

    [Fact]
    public async Task A_stopped_fake_fails_quickly_with_RequestFailedException()
    {
        var fake = await KeyVaultFake.StartAsync();
        var (vaultUri, certificate) = (fake.VaultUri, fake.Certificate);
        await fake.DisposeAsync();
        using var timeout = new CancellationTokenSource(Quickly);

        var client = KeyVaultFake.CreateClientFor(vaultUri, certificate);
        var error = await Assert.ThrowsAsync<RequestFailedException>(
            () => client.GetSecretAsync("clerk-secret-key", cancellationToken: timeout.Token));

        Assert.Equal(0, error.Status);
    }

    [Fact]
    public async Task An_unused_port_fails_quickly_with_RequestFailedException()
    {
        await using var fake = await KeyVaultFake.StartAsync();
        using var timeout = new CancellationTokenSource(Quickly);

        var client = KeyVaultFake.CreateClientFor(new Uri($"https://127.0.0.1:{UnusedPort()}/"), fake.Certificate);
        var error = await Assert.ThrowsAsync<RequestFailedException>(
            () => client.GetSecretAsync("clerk-secret-key", cancellationToken: timeout.Token));

        Assert.Equal(0, error.Status);
        Assert.Equal(0, fake.SecretReads);
    }

    [Fact]
    public async Task A_client_with_default_transport_does_not_trust_the_fake()
    {
        await using var fake = await KeyVaultFake.StartAsync();
        fake.SetSecret("clerk-secret-key", "sk_test_one");
        var options = new SecretClientOptions { DisableChallengeResourceVerification = true };
        options.Retry.MaxRetries = 0;
        var client = new SecretClient(fake.VaultUri, new StaticTokenCredential(), options);

        var error = await Assert.ThrowsAsync<RequestFailedException>(() => client.GetSecretAsync("clerk-secret-key"));

        Assert.Contains(Chain(error), e => e is AuthenticationException);
        Assert.Equal(0, fake.SecretReads);
    }

    [Fact]
    public async Task A_client_trusting_another_fake_does_not_trust_this_one()
    {
        await using var fake = await KeyVaultFake.StartAsync();
        await using var other = await KeyVaultFake.StartAsync();
        fake.SetSecret("clerk-secret-key", "sk_test_one");

        var client = KeyVaultFake.CreateClientFor(fake.VaultUri, other.Certificate);
        var error = await Assert.ThrowsAsync<RequestFailedException>(() => client.GetSecretAsync("clerk-secret-key"));

        Assert.Contains(Chain(error), e => e is AuthenticationException);
    }

    private static IEnumerable<Exception> Chain(Exception error)
    {
        for (var e = (Exception?)error; e is not null; e = e.InnerException)
        {
            yield return e;
        }
    }

    private static int UnusedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
