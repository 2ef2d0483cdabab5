using RoleSync.Processing;

namespace RoleSync.Lifecycle;

/// <summary>What <see cref="MembershipWriter.WriteAsync"/> did: the outcome, the writes sent, whether one may still land.</summary>
public sealed record MembershipWrite(ProcessingResult Result, int Writes, bool Ambiguous);
