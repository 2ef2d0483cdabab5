using Azure;
using RoleSync.Clerk;
using RoleSync.Secrets;

namespace RoleSync.Quarantine;

/// <summary>
/// The quarantine's evidence about the secret key and Clerk: a fresh Key Vault read (<see cref="ReadSecretAgainAsync"/>),
/// and the probe, a fresh read followed by the cheapest authenticated Clerk read there is (one organization's membership
/// list with <c>limit=1</c>). Any answer that is Clerk's and not a 401 or a transient failure shows the key works.
/// </summary>
public sealed class QuarantineProbe(ClerkClient clerk, IClerkSecretProvider secrets)
{
    /// <summary>The organization the probe asks about when the trigger named none: Clerk's 404 for it proves the key as well.</summary>
    public const string FallbackOrganizationId = "org_rolesyncprobe";

    /// <summary>Reads the key from Key Vault again (not from the cache). Null when that worked; else the trigger it is evidence for and why.</summary>
    public async Task<(string Trigger, string Detail)?> ReadSecretAgainAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            var cached = await secrets.GetAsync(cancellationToken).ConfigureAwait(false);
            await secrets.RefreshAsync(cached, cancellationToken).ConfigureAwait(false);
            return null;
        }
        catch (ClerkSecretUnavailableException ex)
        {
            return ex.InnerException switch
            {
                RequestFailedException { Status: 403 } => (QuarantineTriggers.KeyVaultForbidden, ex.Message),
                RequestFailedException { Status: 404 } => (QuarantineTriggers.SecretNotFound, ex.Message),
                null => (QuarantineTriggers.SecretInvalid, ex.Message), // read, but empty or not a Clerk key
                _ => (string.Empty, ex.Message), // unreachable, no token, a 5xx: not evidence on its own
            };
        }
    }

    /// <summary>The probe: whether the key (read again) works against Clerk, and what was found.</summary>
    public async Task<(bool Succeeded, string Detail)> RunAsync(string? organizationId, CancellationToken cancellationToken = default)
    {
        if (await ReadSecretAgainAsync(cancellationToken).ConfigureAwait(false) is { } secretFailure)
        {
            return (false, $"Key Vault: {secretFailure.Detail}");
        }
        ClerkListResult result;
        try
        {
            result = await clerk.ListMembershipsPageAsync(organizationId ?? FallbackOrganizationId, 0, 1, cancellationToken).ConfigureAwait(false);
        }
        catch (ClerkSecretUnavailableException ex)
        {
            return (false, $"Key Vault: {ex.Message}");
        }
        return result.Error switch
        {
            null => (true, "Clerk accepted the key (membership list read)"),
            { StatusCode: 401 } e => (false, $"Clerk still rejects the key: {e}"),
            { StatusCode: 400 or 403 or 404 or 422, FromClerk: true } e => (true, $"Clerk accepted the key (answered {e.StatusCode} for the probe's organization)"),
            var e => (false, $"Clerk is not answering normally: {e}"),
        };
    }
}
