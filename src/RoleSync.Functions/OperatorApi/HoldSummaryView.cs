using RoleSync.Guard;

namespace RoleSync.Functions.OperatorApi;

/// <summary>One organization's held changes in <c>GET /api/holds</c>: how many, the first and last held, and a sample.</summary>
public sealed record HoldSummaryView(
    string OrganizationId, int Count, DateTimeOffset FirstHeldAt, DateTimeOffset LastHeldAt, DateTimeOffset? HoldingSince, IReadOnlyList<HeldChangeView> Sample)
{
    public static HoldSummaryView From(GuardHoldSummary summary)
    {
        ArgumentNullException.ThrowIfNull(summary);
        return new(summary.OrganizationId, summary.Count, summary.FirstHeldAt, summary.LastHeldAt, summary.HoldingSince, [.. summary.Sample.Select(HeldChangeView.From)]);
    }
}
