namespace RoleSync.KeyVaultFake.Tests;

/// <summary>The real SecretClient reading from the fake.</summary>
public sealed class SecretClientReadTests
{
    [Fact]
    public async Task Get_by_name_returns_the_secret_with_its_identity()
    {
        await using var fake = await KeyVaultFake.StartAsync();
        var version = fake.SetSecret("clerk-secret-key", "sk_test_one");

        KeyVaultSecret secret = await fake.CreateClient().GetSecretAsync("clerk-secret-key");

        Assert.Equal("sk_test_one", secret.Value);
        Assert.Equal("clerk-secret-key", secret.Name);
        Assert.Equal(version, secret.Properties.Version);
        Assert.Equal(fake.VaultUri, secret.Properties.VaultUri);
        Assert.Equal(new Uri(fake.VaultUri, $"secrets/clerk-secret-key/{version}"), secret.Id);
        Assert.True(secret.Properties.Enabled);
        Assert.Equal("Recoverable+Purgeable", secret.Properties.RecoveryLevel);
    }

    [Fact]
    public async Task Get_by_version_returns_that_version_not_the_newest()
    {
        await using var fake = await KeyVaultFake.StartAsync();
        var first = fake.SetSecret("clerk-secret-key", "sk_test_old");
        fake.SetSecret("clerk-secret-key", "sk_test_new");

        KeyVaultSecret secret = await fake.CreateClient().GetSecretAsync("clerk-secret-key", first);

        Assert.Equal("sk_test_old", secret.Value);
        Assert.Equal(first, secret.Properties.Version);
    }

    [Fact]
    public async Task Rotation_makes_the_newest_version_the_answer_for_the_same_client()
    {
        await using var fake = await KeyVaultFake.StartAsync();
        var client = fake.CreateClient();
        var first = fake.SetSecret("clerk-secret-key", "sk_test_old");
        KeyVaultSecret before = await client.GetSecretAsync("clerk-secret-key");

        var second = fake.SetSecret("clerk-secret-key", "sk_test_new");
        KeyVaultSecret after = await client.GetSecretAsync("clerk-secret-key");

        Assert.NotEqual(first, second);
        Assert.Equal("sk_test_old", before.Value);
        Assert.Equal("sk_test_new", after.Value);
        Assert.Equal(second, after.Properties.Version);
    }

    [Theory]
    [InlineData("never-set", null)]
    [InlineData("clerk-secret-key", "00000000000000000000000000000000")]
    public async Task Missing_secret_or_version_is_404_SecretNotFound(string name, string? version)
    {
        await using var fake = await KeyVaultFake.StartAsync();
        fake.SetSecret("clerk-secret-key", "sk_test_one");

        var error = await Assert.ThrowsAsync<RequestFailedException>(() => fake.CreateClient().GetSecretAsync(name, version));

        Assert.Equal(404, error.Status);
        Assert.Equal("SecretNotFound", error.ErrorCode);
    }

    [Fact]
    public async Task Removed_secret_is_404()
    {
        await using var fake = await KeyVaultFake.StartAsync();
        var client = fake.CreateClient();
        fake.SetSecret("clerk-secret-key", "sk_test_one");
        await client.GetSecretAsync("clerk-secret-key");

        fake.RemoveSecret("clerk-secret-key");

        var error = await Assert.ThrowsAsync<RequestFailedException>(() => client.GetSecretAsync("clerk-secret-key"));
        Assert.Equal(404, error.Status);
    }

    [Fact]
    public async Task SecretReads_counts_authenticated_reads_only_and_the_credential_is_asked()
    {
        await using var fake = await KeyVaultFake.StartAsync();
        fake.SetSecret("clerk-secret-key", "sk_test_one");
        var credential = new StaticTokenCredential();
        var client = fake.CreateClient(credential);

        await client.GetSecretAsync("clerk-secret-key");
        await client.GetSecretAsync("clerk-secret-key");
        await Assert.ThrowsAsync<RequestFailedException>(() => client.GetSecretAsync("never-set"));

        Assert.Equal(3, fake.SecretReads);
        Assert.True(credential.Calls >= 1, $"credential asked {credential.Calls} times");
    }

    [Fact]
    public async Task Concurrent_reads_during_rotation_all_succeed()
    {
        await using var fake = await KeyVaultFake.StartAsync();
        fake.SetSecret("clerk-secret-key", "sk_test_0");
        var client = fake.CreateClient();

        var reads = Enumerable.Range(0, 64).Select(async i =>
        {
            if (i % 8 == 0)
            {
                fake.SetSecret("clerk-secret-key", $"sk_test_{i}");
            }

            KeyVaultSecret secret = await client.GetSecretAsync("clerk-secret-key");
            return secret.Value;
        });
        var values = await Task.WhenAll(reads);

        Assert.All(values, value => Assert.StartsWith("sk_test_", value, StringComparison.Ordinal));
        Assert.Equal(64, fake.SecretReads);
    }

    [Fact]
    public async Task A_token_that_is_empty_is_rejected_with_401()
    {
        await using var fake = await KeyVaultFake.StartAsync();
        fake.SetSecret("clerk-secret-key", "sk_test_one");

        var error = await Assert.ThrowsAsync<RequestFailedException>(
            () => fake.CreateClient(new StaticTokenCredential("")).GetSecretAsync("clerk-secret-key"));

        Assert.Equal(401, error.Status);
        Assert.Equal(0, fake.SecretReads);
    }
}
