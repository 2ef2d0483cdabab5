using RoleSync.Replay;

namespace RoleSync.Functions.OperatorApi;

/// <summary>The 200 answer of <c>GET /api/dead-letters</c>: one page; <see cref="NextSequenceNumber"/> continues it (null at the end).</summary>
public sealed record DeadLetterListResponse(IReadOnlyList<DeadLetterView> Items, long? NextSequenceNumber);
