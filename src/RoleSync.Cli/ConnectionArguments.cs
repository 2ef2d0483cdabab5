namespace RoleSync.Cli;

/// <summary>Where a command reaches Clerk, its secret key and the ledger, as given on its command line (see <see cref="ConnectionOptions"/>).</summary>
internal sealed record ConnectionArguments(string? ClerkApiUrl, string? KeyVaultUri, string? SecretName, string? Ledger, int? Budget = null);
