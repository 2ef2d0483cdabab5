using RoleSync.Ledger;

namespace RoleSync.Processing;

/// <summary>
/// What one run of <see cref="MembershipConverger"/> ended with: the verification result, the transient failure that
/// stopped it (null when it ran to the end), how many PATCHes it sent, the last record it saw, and whether an attempt
/// of one of its PATCHes went unanswered (<see cref="Clerk.ClerkResult.Ambiguous"/>: it may still land).
/// </summary>
internal sealed record ConvergeOutcome(VerifyResult Verify, ProcessingResult? Transient, int Patches, MembershipRecord Record)
{
    public bool Ambiguous { get; init; }
}
