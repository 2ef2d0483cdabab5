using System.Text.Json.Serialization;

namespace RoleSync.Replay;

/// <summary>How a replayed message left the dead-letter queue. In JSON: <c>transaction</c>, <c>send-then-complete</c>.</summary>
[JsonConverter(typeof(KebabCaseEnumConverter<ReplayMode>))]
public enum ReplayMode
{
    /// <summary>Send to the queue and complete in the dead-letter queue in one cross-entity transaction.</summary>
    Transaction,
    /// <summary>Send, then complete: at-least-once (a crash in between leaves a duplicate the ledger makes harmless).</summary>
    SendThenComplete,
}
