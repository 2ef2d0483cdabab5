namespace RoleSync.ModelCheck;

/// <summary>
/// A message as a producer sent it, followed through its retry copies and redeliveries: it must end with a recorded
/// outcome (completed with an outcome, or dead-lettered with a reason). A producer duplicate is a lineage of its own.
/// </summary>
internal sealed class Lineage(string name, Change change)
{
    public string Name { get; } = name;

    public Change Change { get; } = change;

    /// <summary>Every settlement, in order ("complete Applied", "retry 2 ClerkUnavailable", "dead-letter LastAdmin", …).</summary>
    public List<string> Settlements { get; } = [];

    /// <summary>The last final settlement: the outcome it completed with, or the dead-letter reason.</summary>
    public string? Final { get; set; }

    /// <summary>True when <see cref="Final"/> is a dead letter.</summary>
    public bool DeadLettered { get; set; }

    /// <summary>Live queue entries (waiting or held) of this lineage.</summary>
    public int Live { get; set; }
}
