using RoleSync.Contract;

namespace RoleSync.Processing;

/// <summary>
/// The result of processing one message. <see cref="Detail"/> is one line, at most 1 KiB, human readable, and never
/// contains the secret key. <see cref="Change"/> is null only for invalid messages.
/// </summary>
public sealed record ProcessingResult(
    Outcome Outcome,
    RoleChange? Change,
    string? EventId,
    string? Reason = null,
    string? Detail = null,
    TimeSpan? RetryAfter = null,
    string? ClerkTraceId = null)
{
    public const int MaxDetailLength = 1024;

    /// <summary>Stale: the event id of the newer change that superseded this one (the membership history records it).</summary>
    public string? SupersededBy { get; init; }

    /// <summary>What verification against Clerk found, when it ran and found anything but in-sync (e.g. <see cref="VerifyStatus.Repaired"/>).</summary>
    public VerifyResult? Verification { get; init; }

    public static ProcessingResult Invalid(RoleChangeParseResult parse) =>
        new(Outcome.Rejected, null, parse.EventId, Reasons.InvalidMessage, CleanDetail(string.Join("; ", parse.Errors)));

    public static ProcessingResult Rejected(RoleChange change, string reason, string detail, string? traceId = null) =>
        new(Outcome.Rejected, change, change.EventId, reason, CleanDetail(detail), null, traceId);

    public static ProcessingResult Transient(RoleChange? change, string reason, string detail, TimeSpan? retryAfter = null, string? traceId = null) =>
        new(Outcome.Transient, change, change?.EventId, reason, CleanDetail(detail), retryAfter, traceId);

    public static ProcessingResult Of(Outcome outcome, RoleChange change, string? detail = null, string? traceId = null) =>
        new(outcome, change, change.EventId, null, detail is null ? null : CleanDetail(detail), null, traceId);

    /// <summary>One line, printable, at most <see cref="MaxDetailLength"/> characters, no secret key.</summary>
    public static string CleanDetail(string detail)
    {
        var redacted = Secrets.ClerkSecret.Redact(detail);
        var chars = redacted.Length <= MaxDetailLength ? redacted.ToCharArray() : (redacted[..(MaxDetailLength - 1)] + "…").ToCharArray();
        for (int i = 0; i < chars.Length; i++)
        {
            if (char.IsControl(chars[i]))
            {
                chars[i] = ' ';
            }
        }
        return new string(chars);
    }
}
