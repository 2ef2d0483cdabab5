namespace RoleSync.Guard;

/// <summary>
/// Where the guard keeps each organization's <see cref="GuardWindow"/> and its <see cref="GuardHold"/>s (Table Storage
/// in production, <see cref="InMemoryGuardStore"/> in tests). Writes are conditional: a lost race answers null/false.
/// </summary>
public interface IGuardStore
{
    /// <summary>The organization's window, or <see cref="GuardWindow.Empty"/> (no ETag) when there is none yet.</summary>
    Task<GuardWindow> ReadWindowAsync(string organizationId, CancellationToken cancellationToken = default);

    /// <summary>Writes <paramref name="window"/> if the row is still at its ETag (null: only if absent); null when another writer won.</summary>
    Task<GuardWindow?> TryWriteWindowAsync(GuardWindow window, CancellationToken cancellationToken = default);

    /// <summary>The hold of <paramref name="eventId"/> in the organization, or null.</summary>
    Task<GuardHold?> GetHoldAsync(string organizationId, string eventId, CancellationToken cancellationToken = default);

    /// <summary>Inserts <paramref name="hold"/> if there is none for its event yet, or replaces it on its ETag; null when another writer won.</summary>
    Task<GuardHold?> TryWriteHoldAsync(GuardHold hold, CancellationToken cancellationToken = default);

    /// <summary>Every hold (of <paramref name="organizationId"/> only, when given), any decision.</summary>
    IAsyncEnumerable<GuardHold> ListHoldsAsync(string? organizationId = null, CancellationToken cancellationToken = default);
}
