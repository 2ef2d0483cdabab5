using RoleSync.Ledger;

namespace RoleSync.Processing;

/// <summary>
/// What one run of <see cref="MembershipConverger"/> ended with: the verification result, the transient failure that
/// stopped it (null when it ran to the end), how many PATCHes it sent, and the last record it saw.
/// </summary>
internal sealed record ConvergeOutcome(VerifyResult Verify, ProcessingResult? Transient, int Patches, MembershipRecord Record);
