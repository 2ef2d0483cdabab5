using System.Net.Http.Json;
using System.Text.Json;
using RoleSync.Contract;

namespace RoleSync.Clerk;

/// <summary>Joiners, leavers and HR identifiers: create and delete memberships, find users.</summary>
public sealed partial class ClerkClient
{
    /// <summary>The most values of one <c>GET /v1/users</c> filter.</summary>
    public const int MaxFilterValues = 100;

    /// <summary>
    /// <c>POST /v1/organizations/{organizationId}/memberships</c> with <c>{"user_id": userId, "role": role}</c>: the created
    /// membership. Clerk answers 400 <c>already_a_member_in_organization</c> when the user is a member already.
    /// </summary>
    /// <exception cref="ArgumentException">An ID or the role key is not valid.</exception>
    public Task<ClerkResult> CreateMembershipAsync(string organizationId, string userId, string role, CancellationToken cancellationToken = default)
    {
        var path = $"v1/organizations/{CheckedId(organizationId, ClerkIds.OrganizationPrefix)}/memberships";
        _ = CheckedId(userId, ClerkIds.UserPrefix);
        if (!ClerkIds.IsRoleKey(role))
        {
            throw new ArgumentException("Not a valid Clerk role key.", nameof(role));
        }
        return ToResultAsync(SendAsync(
            () => new HttpRequestMessage(HttpMethod.Post, path)
            {
                Content = JsonContent.Create(new CreateMembershipDto(userId, role), ClerkJsonContext.Default.CreateMembershipDto),
            },
            ReadMembershipAsync,
            cancellationToken));
    }

    /// <summary>
    /// <c>DELETE /v1/organizations/{organizationId}/memberships/{userId}</c>: the deleted membership. Clerk answers 404 when
    /// there is no such membership, 400 <c>organization_minimum_permissions_needed</c> for the last admin.
    /// </summary>
    /// <exception cref="ArgumentException">An ID is not valid.</exception>
    public Task<ClerkResult> DeleteMembershipAsync(string organizationId, string userId, CancellationToken cancellationToken = default)
    {
        var path = $"v1/organizations/{CheckedId(organizationId, ClerkIds.OrganizationPrefix)}/memberships/{CheckedId(userId, ClerkIds.UserPrefix)}";
        return ToResultAsync(SendAsync(() => new HttpRequestMessage(HttpMethod.Delete, path), ReadMembershipAsync, cancellationToken));
    }

    /// <summary>
    /// <c>GET /v1/users?{filter}=…&amp;{filter}=…&amp;limit={limit}</c>: the users matching any of <paramref name="values"/>
    /// (Clerk answers a bare JSON array). Values are checked (user ids, external ids and email addresses as the message
    /// contract defines them) and URL-encoded. An answer holding a user that matches none of the values is an
    /// <see cref="ClerkError.UnreadableResponse"/> (the filter was not applied).
    /// </summary>
    /// <exception cref="ArgumentException">A value is not valid for the filter, or there are none or more than 100, or <paramref name="limit"/> is not 1–500.</exception>
    public async Task<ClerkUsersResult> FindUsersAsync(ClerkUserFilter filter, IReadOnlyList<string> values, int limit = 10, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(values);
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(limit, MaxPageSize);
        var comparer = filter == ClerkUserFilter.EmailAddress ? StringComparer.OrdinalIgnoreCase : StringComparer.Ordinal;
        var wanted = values.ToHashSet(comparer);
        if (wanted.Count is 0 or > MaxFilterValues)
        {
            throw new ArgumentOutOfRangeException(nameof(values), wanted.Count, $"Between 1 and {MaxFilterValues} values per request.");
        }
        var (name, valid) = filter switch
        {
            ClerkUserFilter.UserId => ("user_id", (Func<string, bool>)ClerkIds.IsUserId),
            ClerkUserFilter.ExternalId => ("external_id", ClerkIds.IsExternalId),
            ClerkUserFilter.EmailAddress => ("email_address", ClerkIds.IsEmailAddress),
            _ => throw new ArgumentOutOfRangeException(nameof(filter), filter, "Unknown filter."),
        };
        if (wanted.FirstOrDefault(v => !valid(v)) is not null)
        {
            throw new ArgumentException($"Not a valid value for the {name} filter.", nameof(values));
        }
        var query = string.Join("&", wanted.Select(v => $"{name}={Uri.EscapeDataString(v)}"));
        var path = FormattableString.Invariant($"v1/users?{query}&limit={limit}");
        var reply = await SendAsync(
            () => new HttpRequestMessage(HttpMethod.Get, path),
            async (response, ct) =>
            {
                var users = await response.Content.ReadFromJsonAsync(ClerkJsonContext.Default.ListUserDto, ct).ConfigureAwait(false)
                    ?? throw new JsonException("the answer is null");
                var found = users.Select(ToUser).ToList();
                if (found.FirstOrDefault(u => !Matches(u, filter, wanted)) is { } stray)
                {
                    throw new JsonException($"the answer holds {stray.Id}, which matches none of the values asked for");
                }
                return found;
            },
            cancellationToken).ConfigureAwait(false);
        return reply.Error is { } error ? ClerkUsersResult.Failure(error) : ClerkUsersResult.Success(reply.Value!);
    }

    private static ClerkUser ToUser(UserDto dto) =>
        dto.Id is { } id && ClerkIds.IsUserId(id)
            ? new ClerkUser(id, dto.ExternalId, [.. (dto.EmailAddresses ?? []).Select(e => e.EmailAddress).OfType<string>()])
            : throw new JsonException("a user of the answer has no valid id");

    private static bool Matches(ClerkUser user, ClerkUserFilter filter, HashSet<string> wanted) => filter switch
    {
        ClerkUserFilter.UserId => wanted.Contains(user.Id),
        ClerkUserFilter.ExternalId => user.ExternalId is { } external && wanted.Contains(external),
        _ => user.EmailAddresses.Any(wanted.Contains),
    };
}
