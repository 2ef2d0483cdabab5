using RoleSync.Replay;

namespace RoleSync.Functions.OperatorApi;

/// <summary>
/// The body of <c>POST /api/dead-letters/replay</c>: <c>sequenceNumbers</c>, or <c>reason</c> with optional
/// <c>organizationId</c> and <c>max</c>; <c>dryRun</c> with either.
/// </summary>
internal sealed record ReplayRequest(IReadOnlyList<long>? SequenceNumbers, string? Reason, string? OrganizationId, int? Max, bool? DryRun)
{
    /// <summary>Every reason the request cannot be carried out; empty when it can.</summary>
    public List<string> Validate()
    {
        var errors = new List<string>();
        if (SequenceNumbers is null == Reason is null)
        {
            errors.Add("select either sequenceNumbers or reason (with optional organizationId and max), not both and not neither");
        }
        if (SequenceNumbers is { } numbers)
        {
            if (numbers.Count is 0 or > DeadLetterReplayer.MaxPerCall)
            {
                errors.Add($"sequenceNumbers: must list 1-{DeadLetterReplayer.MaxPerCall} sequence numbers; page larger replays");
            }
            if (numbers.Any(n => n < 0))
            {
                errors.Add("sequenceNumbers: must be 0 or more");
            }
            if (numbers.Distinct().Count() != numbers.Count)
            {
                errors.Add("sequenceNumbers: must not repeat");
            }
            if (OrganizationId is not null || Max is not null)
            {
                errors.Add("organizationId and max only go with reason");
            }
        }
        OperatorChecks.Reason(Reason, errors);
        OperatorChecks.Id(OrganizationId, "org_", "organizationId", errors);
        if (Max is { } max && max is < 1 or > DeadLetterReplayer.MaxPerCall)
        {
            errors.Add($"max: must be from 1 to {DeadLetterReplayer.MaxPerCall}; page larger replays");
        }
        return errors;
    }

    public ReplaySelection ToSelection(int defaultMax) => new(SequenceNumbers, Reason, OrganizationId, Max ?? defaultMax);
}
