using Azure;
using Azure.Data.Tables;
using RoleSync.Contract;
using RoleSync.Ledger;

namespace RoleSync.AzureAdapters;

/// <summary>
/// The ledger in Azure Table Storage: one entity per membership (PartitionKey = organization id, RowKey = user id),
/// written with optimistic concurrency (insert for a new record, replace on the read ETag otherwise). The table is
/// created on first use. Both IDs are validated Clerk IDs, so they are always legal keys. Event identities live in the
/// same table under partitions <c>event-{xx}</c> (RowKey = SHA-256 of the event id, which may hold characters keys
/// cannot), apart from every organization partition (<c>org_…</c>).
/// </summary>
public sealed class TableMembershipLedger(TableClient table) : IMembershipLedger
{
    private readonly TableCreation _creation = new(table);

    public async Task<MembershipRecord?> GetAsync(string organizationId, string userId, CancellationToken cancellationToken = default)
    {
        await _creation.EnsureAsync(cancellationToken).ConfigureAwait(false);
        var response = await table.GetEntityIfExistsAsync<TableEntity>(organizationId, userId, cancellationToken: cancellationToken).ConfigureAwait(false);
        return response.HasValue ? FromEntity(response.Value!) : null;
    }

    public async Task<MembershipRecord?> TryWriteAsync(MembershipRecord record, CancellationToken cancellationToken = default)
    {
        await _creation.EnsureAsync(cancellationToken).ConfigureAwait(false);
        var entity = ToEntity(record);
        try
        {
            var response = record.ETag is null
                ? await table.AddEntityAsync(entity, cancellationToken).ConfigureAwait(false)
                : await table.UpdateEntityAsync(entity, new ETag(record.ETag), TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
            return record with { ETag = response.Headers.ETag?.ToString() };
        }
        catch (RequestFailedException ex) when (ex.Status is 409 or 412)
        {
            return null; // another writer got there first (409: entity exists; 412: ETag moved on)
        }
    }

    public async Task<string?> RecordEventAsync(string eventId, string content, CancellationToken cancellationToken = default)
    {
        await _creation.EnsureAsync(cancellationToken).ConfigureAwait(false);
        var hash = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(eventId)));
        var entity = new TableEntity("event-" + hash[..2], hash) { ["EventId"] = eventId, ["Content"] = content };
        try
        {
            await table.AddEntityAsync(entity, cancellationToken).ConfigureAwait(false);
            return null;
        }
        catch (RequestFailedException ex) when (ex.Status == 409)
        {
            var first = await table.GetEntityAsync<TableEntity>(entity.PartitionKey, entity.RowKey, cancellationToken: cancellationToken).ConfigureAwait(false);
            var recorded = first.Value.GetString("Content");
            return recorded == content ? null : recorded;
        }
    }

    public async IAsyncEnumerable<MembershipRecord> ListAsync(string? organizationId = null, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await _creation.EnsureAsync(cancellationToken).ConfigureAwait(false);
        // Organization partitions only ("org_" ≤ key < "org`", '`' following '_'): not the event identities.
        var filter = organizationId is null
            ? "PartitionKey ge 'org_' and PartitionKey lt 'org`'"
            : TableClient.CreateQueryFilter($"PartitionKey eq {organizationId}");
        await foreach (var entity in table.QueryAsync<TableEntity>(filter, maxPerPage: 1000, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            yield return FromEntity(entity);
        }
    }

    public async Task<MembershipRecord?> FindByIdentifierAsync(string organizationId, string? externalId, string? emailAddress, CancellationToken cancellationToken = default)
    {
        await _creation.EnsureAsync(cancellationToken).ConfigureAwait(false);
        var filter = externalId is not null
            ? TableClient.CreateQueryFilter($"PartitionKey eq {organizationId} and ExternalId eq {externalId}")
            : TableClient.CreateQueryFilter($"PartitionKey eq {organizationId} and EmailAddress eq {emailAddress?.ToLowerInvariant()}");
        MembershipRecord? found = null;
        await foreach (var entity in table.QueryAsync<TableEntity>(filter, maxPerPage: 2, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            if (found is not null)
            {
                return null; // two memberships claim the identifier: ask Clerk
            }
            found = FromEntity(entity);
        }
        return found;
    }

    private static TableEntity ToEntity(MembershipRecord r) => new(r.OrganizationId, r.UserId)
    {
        ["NewestEventId"] = r.NewestEventId,
        ["NewestOccurredAt"] = r.NewestOccurredAt,
        ["NewestOccurredAtTicks"] = r.NewestOccurredAt.UtcTicks, // Table Storage keeps only milliseconds in DateTime columns
        ["NewestRole"] = r.NewestRole,
        ["NewestSource"] = r.NewestSource,
        ["NewestRecordedAt"] = r.NewestRecordedAt,
        ["AppliedEventId"] = r.AppliedEventId,
        ["AppliedRole"] = r.AppliedRole,
        ["AppliedAt"] = r.AppliedAt,
        ["RejectedEventId"] = r.RejectedEventId,
        ["RejectedReason"] = r.RejectedReason,
        ["RejectedDetail"] = r.RejectedDetail,
        ["RejectedAt"] = r.RejectedAt,
        ["ClerkStateUnknown"] = r.ClerkStateUnknown,
        ["NewestEffectiveAtTicks"] = r.NewestEffectiveAt?.UtcTicks,
        ["AppliedEffectiveAtTicks"] = r.AppliedEffectiveAt?.UtcTicks,
        ["RepairedAt"] = r.RepairedAt,
        ["RepairCount"] = r.RepairCount,
        ["NewestAction"] = ActionName(r.NewestAction),
        ["AppliedAction"] = ActionName(r.AppliedAction),
        ["ExternalId"] = r.ExternalId,
        ["EmailAddress"] = r.EmailAddress,
        ["UserResolvedAt"] = r.UserResolvedAt,
    };

    /// <summary>Removals are marked "remove"; set-role stays unmarked (as in rows written before contract 1.1).</summary>
    private static string? ActionName(RoleChangeAction action) => action == RoleChangeAction.Remove ? "remove" : null;

    private static RoleChangeAction ActionOf(TableEntity e, string name) =>
        e.GetString(name) == "remove" ? RoleChangeAction.Remove : RoleChangeAction.SetRole;

    private static MembershipRecord FromEntity(TableEntity e) => new(
        e.PartitionKey,
        e.RowKey,
        e.GetString("NewestEventId") ?? "",
        e.GetInt64("NewestOccurredAtTicks") is { } ticks ? new DateTimeOffset(ticks, TimeSpan.Zero) : e.GetDateTimeOffset("NewestOccurredAt") ?? default,
        e.GetString("NewestRole") ?? "",
        e.GetString("NewestSource"),
        e.GetDateTimeOffset("NewestRecordedAt") ?? default,
        e.GetString("AppliedEventId"),
        e.GetString("AppliedRole"),
        e.GetDateTimeOffset("AppliedAt"),
        e.GetString("RejectedEventId"),
        e.GetString("RejectedReason"),
        e.GetString("RejectedDetail"),
        e.GetDateTimeOffset("RejectedAt"),
        e.GetBoolean("ClerkStateUnknown") ?? false,
        Ticks(e, "NewestEffectiveAtTicks"),
        Ticks(e, "AppliedEffectiveAtTicks"),
        e.GetDateTimeOffset("RepairedAt"),
        e.GetInt32("RepairCount") ?? 0,
        ActionOf(e, "NewestAction"),
        ActionOf(e, "AppliedAction"),
        e.GetString("ExternalId"),
        e.GetString("EmailAddress"),
        e.GetDateTimeOffset("UserResolvedAt"))
    {
        ETag = e.ETag.ToString(),
    };

    private static DateTimeOffset? Ticks(TableEntity e, string name) =>
        e.GetInt64(name) is { } ticks ? new DateTimeOffset(ticks, TimeSpan.Zero) : null;
}
