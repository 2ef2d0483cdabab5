using System.ComponentModel.DataAnnotations;

namespace RoleSync.Audit;

/// <summary>Configuration section "Audit": the operator action audit table, in the ledger's storage account.</summary>
public sealed class AuditOptions
{
    public const string SectionName = "Audit";

    /// <summary>Table name (3-63 letters or digits, starting with a letter).</summary>
    [RegularExpression("^[A-Za-z][A-Za-z0-9]{2,62}$", ErrorMessage = "Audit:TableName must be 3-63 letters or digits, starting with a letter.")]
    public string TableName { get; set; } = "rolesyncaudit";
}
