namespace RoleSync.Secrets;

/// <summary>
/// A Clerk secret key. Its <see cref="ToString"/> never reveals the value, so it can be passed around and even
/// logged by mistake without leaking; only the Clerk client reads <see cref="Reveal"/> to build the Authorization header.
/// </summary>
public sealed partial class ClerkSecret : IEquatable<ClerkSecret>
{
    private readonly string _value;

    public ClerkSecret(string value)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(value);
        _value = value.Trim();
    }

    /// <summary>A production instance key (sk_live_…); Clerk allows it 10× the request rate of a development key.</summary>
    public bool IsLive => _value.StartsWith("sk_live_", StringComparison.Ordinal);

    /// <summary>True for sk_live_… and sk_test_… keys.</summary>
    public bool LooksLikeClerkKey => IsLive || _value.StartsWith("sk_test_", StringComparison.Ordinal);

    internal string Reveal() => _value;

    public override string ToString() => IsLive ? "sk_live_***" : "sk_test_***";

    public bool Equals(ClerkSecret? other) => other is not null && string.Equals(_value, other._value, StringComparison.Ordinal);

    public override bool Equals(object? obj) => Equals(obj as ClerkSecret);

    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(_value);

    /// <summary>Removes anything that looks like a Clerk secret key from a text (defence in depth for error details).</summary>
    public static string Redact(string text) =>
        text.Contains("sk_", StringComparison.Ordinal) ? KeyPattern().Replace(text, "sk_***") : text;

    [System.Text.RegularExpressions.GeneratedRegex(@"sk_(live|test)_[A-Za-z0-9_\-]+")]
    private static partial System.Text.RegularExpressions.Regex KeyPattern();
}
