using System.Collections.Frozen;
using Microsoft.Extensions.Options;
using RoleSync.Contract;

namespace RoleSync.Lifecycle;

/// <summary>
/// Turns a message's <c>role</c> into a Clerk role key with the configured mapping (<see cref="RoleMappingOptions"/>):
/// a mapped HR role name (case-insensitive) becomes its target, an <c>org:</c> key stays as it is, anything else is not
/// mapped (the processor rejects it <c>RoleNotMapped</c>).
/// </summary>
public sealed class RoleMapper
{
    private readonly FrozenDictionary<string, string> _map;

    public RoleMapper(IOptions<RoleMappingOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _map = options.Value.Map
            .Where(entry => entry.Value is not null)
            .ToFrozenDictionary(entry => entry.Key, entry => entry.Value!, StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>No mapping: every role must be an <c>org:</c> key.</summary>
    public static RoleMapper None { get; } = new(Options.Create(new RoleMappingOptions()));

    /// <summary>A mapping is configured, so messages may carry HR role names (see <see cref="RoleChangeParser.Parse(ReadOnlySpan{byte}, DateTimeOffset, bool)"/>).</summary>
    public bool HasMappings => _map.Count > 0;

    /// <summary>The Clerk role key for <paramref name="role"/>, or null when it is neither mapped nor a role key.</summary>
    public string? Map(string role)
    {
        ArgumentNullException.ThrowIfNull(role);
        return _map.TryGetValue(role, out var key) ? key : ClerkIds.IsRoleKey(role) ? role : null;
    }

    /// <summary>Parses a message body with the role rule this mapping implies.</summary>
    public RoleChangeParseResult Parse(ReadOnlySpan<byte> body, DateTimeOffset now) => RoleChangeParser.Parse(body, now, HasMappings);
}
