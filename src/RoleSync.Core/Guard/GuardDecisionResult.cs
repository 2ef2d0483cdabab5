namespace RoleSync.Guard;

/// <summary>What an approve or reject did: the organization, the decision, how many holds it covered, and their event ids in order.</summary>
public sealed record GuardDecisionResult(string OrganizationId, GuardDecision Decision, int Count, IReadOnlyList<string> EventIds, string DecidedBy, DateTimeOffset DecidedAt);
