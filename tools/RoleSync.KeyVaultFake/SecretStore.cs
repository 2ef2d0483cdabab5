namespace RoleSync.KeyVaultFake;

/// <summary>One stored version of a secret.</summary>
internal sealed record SecretVersion(string Name, string Version, string Value, DateTimeOffset Created);

/// <summary>Thread-safe secret versions by name; names and versions compare case-insensitively, as in Key Vault.</summary>
internal sealed class SecretStore
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, List<SecretVersion>> _secrets = new(StringComparer.OrdinalIgnoreCase);

    public string Set(string name, string value)
    {
        var version = new SecretVersion(name, Guid.NewGuid().ToString("N"), value, DateTimeOffset.UtcNow);
        lock (_lock)
        {
            if (!_secrets.TryGetValue(name, out var versions))
            {
                versions = [];
                _secrets.Add(name, versions);
            }

            versions.Add(version);
        }

        return version.Version;
    }

    public void Remove(string name)
    {
        lock (_lock)
        {
            _secrets.Remove(name);
        }
    }

    /// <summary>The given version, or the newest one when <paramref name="version"/> is null; null when there is none.</summary>
    public SecretVersion? Find(string name, string? version)
    {
        lock (_lock)
        {
            if (!_secrets.TryGetValue(name, out var versions))
            {
                return null;
            }

            return version is null
                ? versions[^1]
                : versions.Find(v => string.Equals(v.Version, version, StringComparison.OrdinalIgnoreCase));
        }
    }
}
