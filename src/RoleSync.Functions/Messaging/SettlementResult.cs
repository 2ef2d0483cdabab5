using RoleSync.Messaging;

namespace RoleSync.Functions.Messaging;

/// <summary>What was done with a message (<see cref="Action"/>) and the policy's decision it carried out.</summary>
public sealed record SettlementResult(SettlementAction Action, SettlementDecision Decision);
