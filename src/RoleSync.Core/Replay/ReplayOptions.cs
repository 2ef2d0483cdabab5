using System.ComponentModel.DataAnnotations;

namespace RoleSync.Replay;

/// <summary>Configuration section "Replay": where the operator request store lives (a table in the ledger's storage account).</summary>
public sealed class ReplayOptions
{
    public const string SectionName = "Replay";

    /// <summary>The table of operator requests (snapshot replays by request id, edit-and-retry by dead letter).</summary>
    [RegularExpression("^[A-Za-z][A-Za-z0-9]{2,62}$", ErrorMessage = "Replay:RequestTableName must be 3-63 letters or digits, starting with a letter.")]
    public string RequestTableName { get; set; } = "rolesyncoperatorrequests";
}
