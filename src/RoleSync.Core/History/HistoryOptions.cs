using System.ComponentModel.DataAnnotations;

namespace RoleSync.History;

/// <summary>Configuration section "History": the membership history's table (in the ledger's storage account) and its retention.</summary>
public sealed class HistoryOptions
{
    public const string SectionName = "History";

    /// <summary><c>History__TableName</c>: 3-63 letters or digits, starting with a letter.</summary>
    [RegularExpression("^[A-Za-z][A-Za-z0-9]{2,62}$", ErrorMessage = "History:TableName must be 3-63 letters or digits, starting with a letter.")]
    public string TableName { get; set; } = "rolesynchistory";

    /// <summary><c>History__RetentionDays</c>: entries recorded longer ago are deleted by the reconcile timer's sweep.</summary>
    [Range(1, 36500, ErrorMessage = "History:RetentionDays must be a whole number of days from 1 to 36500.")]
    public int RetentionDays { get; set; } = 400;
}
