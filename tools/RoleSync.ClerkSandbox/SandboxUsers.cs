using System.Collections.Concurrent;

namespace RoleSync.ClerkSandbox;

/// <summary>
/// The instance's users: id, optional external id and email addresses. A member added without a user first gets one
/// (email <c>{user id}@example.com</c>), so every membership has its user. Unlike Clerk, two users may share an email
/// address here: that is how tests reach RoleSync's "ambiguous user" path.
/// </summary>
internal sealed class SandboxUsers(TimeProvider clock)
{
    private readonly ConcurrentDictionary<string, User> _users = new(StringComparer.Ordinal);
    private long _sequence;

    /// <summary>Adds the user, or replaces its external id and email addresses.</summary>
    public void Add(string userId, string? externalId, IReadOnlyList<string> emailAddresses)
    {
        long now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        var emails = emailAddresses.Count == 0 ? [$"{userId}@example.com"] : emailAddresses;
        _users[userId] = new User(userId, externalId, [.. emails], Interlocked.Increment(ref _sequence), now);
    }

    /// <summary>Adds a user with the default email address unless it exists.</summary>
    public void Ensure(string userId)
    {
        long now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        _users.GetOrAdd(userId, id => new User(id, null, [$"{id}@example.com"], Interlocked.Increment(ref _sequence), now));
    }

    public void Remove(string userId) => _users.TryRemove(userId, out _);

    public bool Exists(string userId) => _users.ContainsKey(userId);

    /// <summary>The user's first email address (what Clerk shows as a member's identifier), or null for an unknown user.</summary>
    public string? PrimaryEmail(string userId) => _users.TryGetValue(userId, out var user) ? user.Emails[0] : null;

    /// <summary>
    /// GET /v1/users: users matching every given filter (a filter matches when any of its values does; email addresses
    /// case-insensitively), in creation order, paged.
    /// </summary>
    public IReadOnlyList<UserResponse> Find(IReadOnlySet<string> userIds, IReadOnlySet<string> externalIds, IReadOnlySet<string> emailAddresses, int limit, int offset) =>
        [.. _users.Values
            .Where(u => userIds.Count == 0 || userIds.Contains(u.Id))
            .Where(u => externalIds.Count == 0 || (u.ExternalId is { } external && externalIds.Contains(external)))
            .Where(u => emailAddresses.Count == 0 || u.Emails.Any(emailAddresses.Contains))
            .OrderBy(u => u.Sequence)
            .Skip(offset)
            .Take(limit)
            .Select(ToResponse)];

    private static UserResponse ToResponse(User user)
    {
        var emails = user.Emails.Select((email, i) => new EmailAddressResponse($"idn_{user.Id[5..]}{i}", "email_address", email, new VerificationResponse("verified"))).ToList();
        return new UserResponse("user", user.Id, user.ExternalId, emails[0].Id, emails, false, false, user.CreatedAt, user.CreatedAt);
    }

    private sealed record User(string Id, string? ExternalId, string[] Emails, long Sequence, long CreatedAt);
}
