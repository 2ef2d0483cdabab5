using static RoleSync.Testing.Messages;
using static RoleSync.Testing.RoleSyncHarness;

namespace RoleSync.Core.Tests.AzureAdapters;

/// <summary>The Clerk key from Key Vault over HTTPS through the real SecretClient: caching, rotation, failures.</summary>
public sealed class KeyVaultClerkSecretProviderTests
{
    [Fact]
    public async Task Many_messages_cost_one_key_vault_read()
    {
        await using var h = await StartAsync(useKeyVault: true);

        var results = await Task.WhenAll(Enumerable.Range(0, 50).Select(i =>
            h.Processor.ProcessAsync(Bytes(Plain($"evt-{i:D3}", BaseTime.AddSeconds(i), userId: $"user_u{i}")))));

        Assert.All(results, r => Assert.Equal(Reasons.MembershipNotFound, r.Reason)); // reached Clerk with the key
        Assert.Equal(1, h.Vault!.SecretReads);
        Assert.Equal(1, h.VaultSecrets.ReadCount);
    }

    [Fact]
    public async Task The_cache_expires_after_its_period()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var h = await StartAsync(useKeyVault: true, timeProvider: time);

        await h.Processor.ProcessAsync(Bytes(Plain("evt-1", time.GetUtcNow())));
        time.Advance(TimeSpan.FromMinutes(4));
        await h.Processor.ProcessAsync(Bytes(Plain("evt-2", time.GetUtcNow())));
        Assert.Equal(1, h.Vault!.SecretReads);
        time.Advance(TimeSpan.FromMinutes(2));
        await h.Processor.ProcessAsync(Bytes(Plain("evt-3", time.GetUtcNow())));

        Assert.Equal(2, h.Vault.SecretReads);
    }

    [Fact]
    public async Task A_rotated_key_is_read_again_once_after_a_401_and_the_change_applied()
    {
        await using var h = await StartAsync(useKeyVault: true);
        await h.Processor.ProcessAsync(Bytes(Plain("evt-1", role: "org:billing"))); // caches the old key

        const string rotated = "sk_test_rotated_fake_key";
        h.Vault!.SetSecret("clerk-secret-key", rotated);
        h.Clerk.SetSecretKeys(rotated);
        var result = await h.Processor.ProcessAsync(Bytes(Plain("evt-2", BaseTime.AddMinutes(1), role: "org:admin")));

        Assert.Equal(Outcome.Applied, result.Outcome);
        Assert.Equal(2, h.Vault.SecretReads);
        var last = h.Clerk.Requests.TakeLast(2).ToList();
        Assert.Equal(401, last[0].StatusCode);
        Assert.Equal($"Bearer {rotated}", last[1].Authorization);
        Assert.Equal(200, last[1].StatusCode);
    }

    [Fact]
    public async Task A_revoked_key_with_no_replacement_is_transient_after_one_refresh()
    {
        await using var h = await StartAsync(useKeyVault: true);
        h.Clerk.SetSecretKeys("sk_test_only_this_fake_key");

        var result = await h.Processor.ProcessAsync(Bytes(Plain("evt-1")));

        Assert.Equal(Outcome.Transient, result.Outcome);
        Assert.Equal(Reasons.ClerkUnauthorized, result.Reason);
        Assert.Equal(2, h.Vault!.SecretReads); // the first read and one refresh, no loop
        Assert.Single(h.Clerk.Requests); // same key after refresh: not sent again
    }

    [Fact]
    public async Task A_revoked_key_costs_one_refresh_per_pause_not_one_vault_read_per_message()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var h = await StartAsync(useKeyVault: true, timeProvider: time);
        h.Clerk.SetSecretKeys("sk_test_only_this_fake_key"); // the vault's key was revoked; nobody has put a new one in yet

        var results = new List<ProcessingResult>();
        for (int i = 0; i < 20; i++)
        {
            results.Add(await h.Processor.ProcessAsync(Bytes(Plain($"evt-{i}", BaseTime.AddSeconds(i), userId: $"user_r{i}"))));
        }
        Assert.All(results, r => Assert.Equal(Reasons.ClerkUnauthorized, r.Reason));
        Assert.Equal(2, h.Vault!.SecretReads); // the first read and one refresh, for all twenty messages

        time.Advance(TimeSpan.FromSeconds(31)); // after the pause the next 401 asks the vault again
        await h.Processor.ProcessAsync(Bytes(Plain("evt-late", BaseTime.AddMinutes(5), userId: "user_rlate")));
        Assert.Equal(3, h.Vault.SecretReads);
    }

    [Fact]
    public async Task A_key_put_in_the_vault_during_the_pause_is_used_once_the_pause_ends()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var h = await StartAsync(useKeyVault: true, timeProvider: time);
        const string rotated = "sk_test_rotated_fake_key_0002";
        h.Clerk.SetSecretKeys(rotated);
        Assert.Equal(Reasons.ClerkUnauthorized, (await h.Processor.ProcessAsync(Bytes(Plain("evt-1")))).Reason);

        h.Vault!.SetSecret("clerk-secret-key", rotated);
        time.Advance(TimeSpan.FromSeconds(31));
        var after = await h.Processor.ProcessAsync(Bytes(Plain("evt-2", BaseTime.AddMinutes(1))));

        Assert.Equal(Outcome.Applied, after.Outcome);
    }

    [Fact]
    public async Task Missing_secret_is_transient_with_a_clear_cause()
    {
        await using var h = await StartAsync(useKeyVault: true);
        h.Vault!.RemoveSecret("clerk-secret-key");

        var result = await h.Processor.ProcessAsync(Bytes(Plain("evt-1")));

        Assert.Equal(Outcome.Transient, result.Outcome);
        Assert.Equal(Reasons.SecretUnavailable, result.Reason);
        Assert.Contains("clerk-secret-key", result.Detail);
        Assert.Contains("does not exist", result.Detail);
        Assert.Empty(h.Clerk.Requests);
    }

    [Fact]
    public async Task Forbidden_is_transient_and_names_the_missing_role()
    {
        await using var h = await StartAsync(useKeyVault: true);
        h.Vault!.FailWith = 403;

        var result = await h.Processor.ProcessAsync(Bytes(Plain("evt-1")));

        Assert.Equal(Reasons.SecretUnavailable, result.Reason);
        Assert.Contains("Key Vault Secrets User", result.Detail);
    }

    [Fact]
    public async Task Vault_down_is_transient()
    {
        await using var h = await StartAsync(useKeyVault: true);
        await h.Vault!.DisposeAsync();

        var result = await h.Processor.ProcessAsync(Bytes(Plain("evt-1")));

        Assert.Equal(Outcome.Transient, result.Outcome);
        Assert.Equal(Reasons.SecretUnavailable, result.Reason);
        Assert.Contains("unreachable", result.Detail);
    }

    [Fact]
    public async Task A_vault_outage_after_a_successful_read_keeps_the_known_key_in_use()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var h = await StartAsync(useKeyVault: true, timeProvider: time);
        await h.Processor.ProcessAsync(Bytes(Plain("evt-1", time.GetUtcNow(), role: "org:billing")));

        h.Vault!.FailWith = 503;
        time.Advance(TimeSpan.FromMinutes(6));
        var result = await h.Processor.ProcessAsync(Bytes(Plain("evt-2", time.GetUtcNow(), role: "org:admin")));

        Assert.Equal(Outcome.Applied, result.Outcome);
        Assert.Equal(2, h.Vault.SecretReads);
    }

    [Fact]
    public async Task A_value_that_is_not_a_clerk_key_is_refused()
    {
        await using var h = await StartAsync(useKeyVault: true);
        h.Vault!.SetSecret("clerk-secret-key", "hunter2");

        var result = await h.Processor.ProcessAsync(Bytes(Plain("evt-1")));

        Assert.Equal(Reasons.SecretUnavailable, result.Reason);
        Assert.DoesNotContain("hunter2", result.Detail);
        Assert.Empty(h.Clerk.Requests);
    }
}
