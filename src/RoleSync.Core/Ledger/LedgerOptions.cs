using System.ComponentModel.DataAnnotations;
using RoleSync.AzureAdapters;

namespace RoleSync.Ledger;

/// <summary>
/// Configuration section "Ledger". The table lives in the Functions host's storage account unless
/// <see cref="ConnectionString"/> or <see cref="TableServiceUri"/> says otherwise (see <see cref="LedgerStorage"/>).
/// </summary>
public sealed class LedgerOptions
{
    public const string SectionName = "Ledger";

    /// <summary>Table name (3-63 letters or digits, starting with a letter).</summary>
    [RegularExpression("^[A-Za-z][A-Za-z0-9]{2,62}$", ErrorMessage = "Ledger:TableName must be 3-63 letters or digits, starting with a letter.")]
    public string TableName { get; set; } = "RoleSyncLedger";

    /// <summary>Optional: a storage connection string (local development; Azurite: UseDevelopmentStorage=true).</summary>
    public string? ConnectionString { get; set; }

    /// <summary>Optional: a table service URI reached with the app's identity, e.g. https://acct.table.core.windows.net.</summary>
    public Uri? TableServiceUri { get; set; }
}
