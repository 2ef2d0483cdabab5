using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace RoleSync.History;

/// <summary>
/// Where a history entry is kept: one partition per membership (<c>{organizationId}|{userId}</c>; both are validated
/// Clerk IDs, legal in keys), and a row key that sorts newest first and names the entry:
/// <c>{inverted ticks of EffectiveAt, 19 digits}_{SHA-256 of the event id, 16 hex}_{outcome}_{attempt, 3 digits}</c>.
/// The row key holds nothing that differs between two deliveries of one attempt (the effective time comes from the
/// lineage's first receipt), so a redelivery writes the same entry again rather than a second one.
/// </summary>
public static class HistoryKeys
{
    /// <summary>The partition of a membership.</summary>
    public static string Partition(string organizationId, string userId) => organizationId + "|" + userId;

    /// <summary>The row key of <paramref name="entry"/>.</summary>
    public static string Row(MembershipHistoryEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var inverted = DateTimeOffset.MaxValue.UtcTicks - entry.EffectiveAt.UtcTicks;
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(entry.EventId)))[..16];
        return string.Create(CultureInfo.InvariantCulture,
            $"{inverted:D19}_{hash}_{KebabCaseEnumConverter<HistoryOutcome>.NameOf(entry.Outcome)}_{Math.Clamp(entry.Attempt, 0, 999):D3}");
    }
}
