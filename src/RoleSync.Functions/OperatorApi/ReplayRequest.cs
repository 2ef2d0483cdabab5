using System.Text.RegularExpressions;
using RoleSync.Replay;

namespace RoleSync.Functions.OperatorApi;

/// <summary>
/// The body of <c>POST /api/dead-letters/replay</c>: <c>sequenceNumbers</c> (optionally with a <c>requestId</c>), or
/// a snapshot: <c>requestId</c>, <c>reason</c>, optional <c>organizationId</c>, <c>maxSequenceNumber</c> and
/// optional <c>max</c> (per call); <c>dryRun</c> with either. A replay by reason without a snapshot bound is refused:
/// it would sweep in dead letters that arrived after the operator looked, and a repeat would replay them too.
/// </summary>
internal sealed partial record ReplayRequest(
    string? RequestId, IReadOnlyList<long>? SequenceNumbers, string? Reason, string? OrganizationId, long? MaxSequenceNumber, int? Max, bool? DryRun)
{
    /// <summary>Every reason the request cannot be carried out; empty when it can.</summary>
    public List<string> Validate()
    {
        var errors = new List<string>();
        if (SequenceNumbers is null == Reason is null)
        {
            errors.Add("select either sequenceNumbers or reason (with requestId, maxSequenceNumber and optional organizationId and max), not both and not neither");
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
            if (OrganizationId is not null || Max is not null || MaxSequenceNumber is not null)
            {
                errors.Add("organizationId, maxSequenceNumber and max only go with reason");
            }
        }
        if (Reason is not null && (RequestId is null || MaxSequenceNumber is null))
        {
            errors.Add("reason: a replay by reason is a snapshot and needs requestId and maxSequenceNumber (the group's maxSequenceNumber from GET /api/dead-letters/groups)");
        }
        if (RequestId is not null && !RequestIdPattern().IsMatch(RequestId))
        {
            errors.Add("requestId: must be 1-128 letters, digits or . _ - ~ :");
        }
        if (MaxSequenceNumber is < 0)
        {
            errors.Add("maxSequenceNumber: must be 0 or more");
        }
        OperatorChecks.Reason(Reason, errors);
        OperatorChecks.Id(OrganizationId, "org_", "organizationId", errors);
        if (Max is { } max && max is < 1 or > DeadLetterReplayer.MaxPerCall)
        {
            errors.Add($"max: must be from 1 to {DeadLetterReplayer.MaxPerCall}; page larger replays");
        }
        return errors;
    }

    public ReplaySelection ToSelection(int defaultMax) => new(SequenceNumbers, Reason, OrganizationId, Max ?? defaultMax) { MaxSequenceNumber = MaxSequenceNumber };

    [GeneratedRegex("^[A-Za-z0-9._~:-]{1,128}$", RegexOptions.CultureInvariant)]
    private static partial Regex RequestIdPattern();
}
