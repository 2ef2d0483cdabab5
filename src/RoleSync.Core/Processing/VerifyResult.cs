namespace RoleSync.Processing;

/// <summary>The outcome of verifying one membership: what was found, Clerk's role before, the desired role, and why it failed.</summary>
public sealed record VerifyResult(VerifyStatus Status, string? ClerkRole = null, string? DesiredRole = null, ProcessingResult? Failure = null);
