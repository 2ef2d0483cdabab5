using System.CommandLine;

namespace RoleSync.Cli;

/// <summary>
/// The options of every command that talks to Clerk and the ledger (<c>apply</c>, <c>reconcile</c>):
/// <c>--clerk-api-url</c>, <c>--key-vault-uri</c>, <c>--secret-name</c>, <c>--budget</c> and <c>--ledger</c>, whose meaning (optional
/// or required) the command describes. <see cref="CliHost"/> turns their values into the core's configuration.
/// </summary>
internal sealed class ConnectionOptions
{
    public ConnectionOptions(string ledgerDescription, bool ledgerRequired)
    {
        Ledger = new Option<string>("--ledger") { Description = ledgerDescription, HelpName = "CONNECTION_STRING", Required = ledgerRequired };
        SecretName.Validators.Add(result =>
        {
            if (result.GetResult(KeyVaultUri) is null)
            {
                result.AddError("--secret-name needs --key-vault-uri.");
            }
        });
        ApplyCommand.AddRange(Budget, 1, Clerk.ClerkRateLimiter.LiveInstanceLimit);
    }

    public Option<string> ClerkApiUrl { get; } = new("--clerk-api-url")
    {
        Description = "Clerk Backend API base URL (default https://api.clerk.com), e.g. the sandbox's http://127.0.0.1:5111.",
        HelpName = "URL",
    };

    public Option<string> KeyVaultUri { get; } = new("--key-vault-uri")
    {
        Description = $"Read the Clerk secret key from this Azure Key Vault (DefaultAzureCredential) instead of {CliHost.SecretKeyVariable}.",
        HelpName = "URI",
    };

    public Option<string> SecretName { get; } = new("--secret-name")
    {
        Description = "Name of the Key Vault secret holding the Clerk secret key (default clerk-secret-key).",
        HelpName = "NAME",
    };

    public Option<int?> Budget { get; } = new("--budget")
    {
        Description = "Clerk requests per 10 s for this process (1-1000; default: half of Clerk's limit, 500 for sk_live_, 50 for sk_test_). " +
            "Clerk's limit is shared with the Functions app and the customer's own app: while they run, give the CLI what they leave.",
        HelpName = "N",
    };

    public Option<string> Ledger { get; }

    /// <summary>Adds the five options to <paramref name="command"/>, in the order help lists them.</summary>
    public void AddTo(Command command)
    {
        command.Options.Add(ClerkApiUrl);
        command.Options.Add(KeyVaultUri);
        command.Options.Add(SecretName);
        command.Options.Add(Budget);
        command.Options.Add(Ledger);
    }

    public ConnectionArguments Read(ParseResult parse) =>
        new(parse.GetValue(ClerkApiUrl), parse.GetValue(KeyVaultUri), parse.GetValue(SecretName), parse.GetValue(Ledger), parse.GetValue(Budget));
}
