using System.Collections.Concurrent;
using System.Collections.Frozen;

namespace RoleSync.ClerkSandbox;

internal enum UpdateOutcome
{
    Updated,
    OrganizationNotFound,
    MembershipNotFound,
    RoleNotFound,
    ManagedByDirectory,
    LastAdmin,
}

/// <summary>Organizations, memberships and accepted keys. Each organization has its own lock, so requests on different organizations never contend.</summary>
internal sealed partial class SandboxState(TimeProvider clock, IEnumerable<string> secretKeys)
{
    public const string AdminRole = "org:admin";
    private static readonly string[] DefaultRoles = [AdminRole, "org:member"];
    private static readonly IReadOnlyDictionary<string, string> NoMetadata = FrozenDictionary<string, string>.Empty;

    private readonly ConcurrentDictionary<string, Organization> _organizations = new(StringComparer.Ordinal);
    private volatile FrozenSet<string> _secretKeys = secretKeys.ToFrozenSet(StringComparer.Ordinal);
    private long _membershipSequence;

    public IReadOnlyCollection<string> SecretKeys => _secretKeys;

    /// <summary>The instance's users (every member has one).</summary>
    public SandboxUsers Users { get; } = new(clock);

    public bool IsSecretKeyAccepted(string key) => _secretKeys.Contains(key);

    public void SetSecretKeys(IEnumerable<string> keys) => _secretKeys = keys.ToFrozenSet(StringComparer.Ordinal);

    public void AddOrganization(string organizationId, IReadOnlyCollection<string> roles)
    {
        var organization = GetOrCreate(organizationId, roles);
        lock (organization.Gate)
        {
            organization.Roles.UnionWith(roles);
        }
    }

    public void AddRole(string organizationId, string role)
    {
        var organization = GetOrCreate(organizationId, DefaultRoles);
        lock (organization.Gate)
        {
            organization.Roles.Add(role);
        }
    }

    public void AddMember(string organizationId, string userId, string role, bool managedByDirectory)
    {
        var organization = GetOrCreate(organizationId, DefaultRoles);
        long now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        Users.Ensure(userId);
        lock (organization.Gate)
        {
            organization.Roles.Add(role);
            if (organization.Members.TryGetValue(userId, out var existing))
            {
                existing.Role = role;
                existing.ManagedByDirectory = managedByDirectory;
                existing.UpdatedAt = now;
                return;
            }

            organization.Members[userId] = new Membership(NewId("orgmem_"), userId, Interlocked.Increment(ref _membershipSequence), now)
            {
                Role = role,
                ManagedByDirectory = managedByDirectory,
                UpdatedAt = now,
            };
        }
    }

    public void RemoveMember(string organizationId, string userId)
    {
        if (_organizations.TryGetValue(organizationId, out var organization))
        {
            lock (organization.Gate)
            {
                organization.Members.Remove(userId);
            }
        }
    }

    public string? GetRole(string organizationId, string userId)
    {
        if (!_organizations.TryGetValue(organizationId, out var organization))
        {
            return null;
        }

        lock (organization.Gate)
        {
            return organization.Members.TryGetValue(userId, out var membership) ? membership.Role : null;
        }
    }

    /// <summary>Applies Clerk's rules for PATCH …/memberships/{user_id} and, when allowed, sets the role.</summary>
    public UpdateOutcome UpdateRole(string organizationId, string userId, string role, out MembershipResponse? result)
    {
        result = null;
        if (!_organizations.TryGetValue(organizationId, out var organization))
        {
            return UpdateOutcome.OrganizationNotFound;
        }

        long now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        lock (organization.Gate)
        {
            if (!organization.Members.TryGetValue(userId, out var membership))
            {
                return UpdateOutcome.MembershipNotFound;
            }

            if (!organization.Roles.Contains(role))
            {
                return UpdateOutcome.RoleNotFound;
            }

            if (membership.ManagedByDirectory)
            {
                return UpdateOutcome.ManagedByDirectory;
            }

            if (membership.Role == AdminRole && role != AdminRole && !HasOtherAdmin(organization, membership))
            {
                return UpdateOutcome.LastAdmin;
            }

            if (membership.Role != role)
            {
                membership.Role = role;
                membership.UpdatedAt = now;
            }

            result = ToResponse(organization, membership);
            return UpdateOutcome.Updated;
        }
    }

    /// <summary>Memberships of an organization in creation order, filtered by user id when any are given; null when the organization does not exist.</summary>
    public MembershipListResponse? ListMemberships(string organizationId, IReadOnlySet<string> userIds, int limit, int offset)
    {
        if (!_organizations.TryGetValue(organizationId, out var organization))
        {
            return null;
        }

        lock (organization.Gate)
        {
            var matching = organization.Members.Values
                .Where(m => userIds.Count == 0 || userIds.Contains(m.UserId))
                .OrderBy(m => m.Sequence)
                .ToList();
            var page = matching.Skip(offset).Take(limit).Select(m => ToResponse(organization, m)).ToList();
            return new MembershipListResponse(page, matching.Count);
        }
    }

    /// <summary>Every membership of every organization, in creation order (a fresh sandbox's seed order).</summary>
    public IReadOnlyList<SandboxMembership> AllMemberships()
    {
        var all = new List<(long Sequence, SandboxMembership Membership)>();
        foreach (var organization in _organizations.Values)
        {
            lock (organization.Gate)
            {
                all.AddRange(organization.Members.Values.Select(m => (m.Sequence, new SandboxMembership(organization.Id, m.UserId, m.Role))));
            }
        }

        return [.. all.OrderBy(m => m.Sequence).Select(m => m.Membership)];
    }

    private Organization GetOrCreate(string organizationId, IReadOnlyCollection<string> roles) =>
        _organizations.GetOrAdd(
            organizationId,
            static (id, roles) => new Organization(id, roles.Count == 0 ? DefaultRoles : roles),
            roles);

    private static bool HasOtherAdmin(Organization organization, Membership membership) =>
        organization.Members.Values.Any(m => m != membership && m.Role == AdminRole);

    private MembershipResponse ToResponse(Organization organization, Membership membership) => new(
        "organization_membership",
        membership.Id,
        membership.Role,
        RoleName(membership.Role),
        [],
        NoMetadata,
        NoMetadata,
        membership.CreatedAt,
        membership.UpdatedAt,
        new OrganizationResponse("organization", organization.Id, organization.Id, organization.Slug),
        new PublicUserDataResponse(membership.UserId, Users.PrimaryEmail(membership.UserId) ?? $"{membership.UserId}@example.com", null, null));

    /// <summary>"org:billing_manager" → "Billing manager", the way Clerk names its default roles ("Admin", "Member").</summary>
    private static string RoleName(string role)
    {
        string key = role.StartsWith("org:", StringComparison.Ordinal) ? role[4..] : role;
        return key.Length == 0 ? role : char.ToUpperInvariant(key[0]) + key[1..].Replace('_', ' ');
    }

    private static string NewId(string prefix)
    {
        const string Base62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
        return prefix + new string(Random.Shared.GetItems(Base62.AsSpan(), 27));
    }

    private sealed class Organization(string id, IEnumerable<string> roles)
    {
        public Lock Gate { get; } = new();

        public string Id => id;

        public string Slug { get; } = id.ToLowerInvariant().Replace('_', '-');

        public HashSet<string> Roles { get; } = new(roles, StringComparer.Ordinal);

        public Dictionary<string, Membership> Members { get; } = new(StringComparer.Ordinal);

        /// <summary>The organization's member limit (Clerk's membership quota); null: none.</summary>
        public int? MaxMembers { get; set; }
    }

    private sealed class Membership(string id, string userId, long sequence, long createdAt)
    {
        public string Id => id;

        public string UserId => userId;

        public long Sequence => sequence;

        public long CreatedAt => createdAt;

        public required string Role { get; set; }

        public required bool ManagedByDirectory { get; set; }

        public required long UpdatedAt { get; set; }
    }
}
