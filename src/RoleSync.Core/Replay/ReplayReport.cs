namespace RoleSync.Replay;

/// <summary>
/// The answer to one replay call; <see cref="Mode"/> is null when nothing was sent (dry run, nothing selected).
/// <see cref="Selected"/> counts every item that is not <see cref="ReplayStatus.NotFound"/>.
/// </summary>
public sealed record ReplayReport(bool DryRun, ReplayMode? Mode, int Selected, int Replayed, int Failed, int NotFound, bool More, IReadOnlyList<ReplayItem> Items)
{
    /// <summary>Items whose lock was lost before they could be sent (<see cref="ReplayStatus.RetryLater"/>): send the same request again.</summary>
    public int RetryLater { get; init; }

    /// <summary>Items an earlier call with the same <see cref="RequestId"/> replayed (<see cref="ReplayStatus.AlreadyReplayed"/>).</summary>
    public int AlreadyReplayed { get; init; }

    /// <summary>The request id the call was made under, or null.</summary>
    public string? RequestId { get; init; }

    /// <summary>The report of <paramref name="items"/>, every count computed from them.</summary>
    public static ReplayReport Of(bool dryRun, ReplayMode? mode, bool more, IReadOnlyList<ReplayItem> items, string? requestId = null)
    {
        ArgumentNullException.ThrowIfNull(items);
        int Count(ReplayStatus status) => items.Count(i => i.Status == status);
        return new ReplayReport(dryRun, mode, items.Count - Count(ReplayStatus.NotFound), Count(ReplayStatus.Replayed), Count(ReplayStatus.Failed),
            Count(ReplayStatus.NotFound), more, items)
        {
            RetryLater = Count(ReplayStatus.RetryLater),
            AlreadyReplayed = Count(ReplayStatus.AlreadyReplayed),
            RequestId = requestId,
        };
    }
}
