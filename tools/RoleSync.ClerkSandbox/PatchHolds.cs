namespace RoleSync.ClerkSandbox;

/// <summary>The active <see cref="PatchHold"/>s, and how a held PATCH lands: through the same state and rules as a live one.</summary>
internal sealed class PatchHolds(SandboxState state, RequestJournal journal, TimeProvider clock)
{
    private readonly Lock _gate = new();
    private readonly List<PatchHold> _holds = [];

    public PatchHold Add(string organizationId, string userId, int count)
    {
        var hold = new PatchHold(this, organizationId, userId, count);
        lock (_gate)
        {
            _holds.Add(hold);
        }

        return hold;
    }

    /// <summary>The PATCH held by the oldest matching hold with room, or null when none takes it.</summary>
    public HeldPatch? TryHold(string organizationId, string userId, string role, long sequence, DateTimeOffset receivedAt, PendingRecord? record)
    {
        var patch = new HeldPatch(sequence, receivedAt, role, record);
        return Matching(organizationId, userId).Any(hold => hold.TryHold(patch)) ? patch : null;
    }

    /// <summary>A live PATCH of the membership was applied.</summary>
    public void OnApplied(string organizationId, string userId)
    {
        foreach (var hold in Matching(organizationId, userId))
        {
            hold.OnApplied();
        }
    }

    /// <summary>Ends every hold without landing (the sandbox stops).</summary>
    public void DiscardAll()
    {
        PatchHold[] holds;
        lock (_gate)
        {
            holds = [.. _holds];
        }

        foreach (var hold in holds)
        {
            hold.Dispose();
        }
    }

    public void Remove(PatchHold hold)
    {
        lock (_gate)
        {
            _holds.Remove(hold);
        }
    }

    public LandedPatch Apply(PatchHold hold, HeldPatch patch)
    {
        var outcome = state.UpdateRole(hold.OrganizationId, hold.UserId, patch.Role, out _);
        var error = ClerkError.ForOutcome(outcome);
        var landed = new LandedPatch(
            patch.ReceivedAt, clock.GetUtcNow(), hold.OrganizationId, hold.UserId, patch.Role, error?.StatusCode ?? StatusCodes.Status200OK, error?.Code);
        journal.RecordLanded(landed);
        return landed;
    }

    private PatchHold[] Matching(string organizationId, string userId)
    {
        lock (_gate)
        {
            return [.. _holds.Where(h => h.OrganizationId == organizationId && h.UserId == userId)];
        }
    }
}
