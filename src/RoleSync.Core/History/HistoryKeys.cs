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
/// The Table adapter also keeps one tally row per entry in an hour partition (<see cref="TallyPartition"/>,
/// <see cref="TallyRow"/>) so the overview's counts read only the hours they count. Tally partitions start with
/// <see cref="TallyPrefix"/>; a membership partition starts with a validated organization id (<c>org_…</c>), never so.
/// </summary>
public static class HistoryKeys
{
    /// <summary>The partition of a membership.</summary>
    public static string Partition(string organizationId, string userId) => organizationId + "|" + userId;

    /// <summary>What every tally partition starts with; <see cref="TallyEnd"/> sorts after all of them.</summary>
    public const string TallyPrefix = "tally|";

    /// <summary>The least key above every tally partition (<c>'}'</c> follows <c>'|'</c>).</summary>
    public const string TallyEnd = "tally}";

    /// <summary>The tally partition of the hour (UTC) that holds <paramref name="recordedAt"/>: <c>tally|yyyyMMddHH</c>.</summary>
    public static string TallyPartition(DateTimeOffset recordedAt) =>
        TallyPrefix + recordedAt.UtcDateTime.ToString("yyyyMMddHH", CultureInfo.InvariantCulture);

    /// <summary>
    /// The tally row key of <paramref name="entry"/>: its partition and row key, so a redelivery in the same hour rewrites
    /// its tally row, and one in another hour is told apart from a second entry by this key (a tally keeps one mark per key).
    /// </summary>
    public static string TallyRow(MembershipHistoryEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return Partition(entry.OrganizationId, entry.UserId) + "|" + Row(entry);
    }

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
