using Azure.Messaging.ServiceBus;
using Microsoft.Extensions.Logging;
using RoleSync.Secrets;

namespace RoleSync.Messaging;

/// <summary>
/// The <see cref="MessageSignature"/> of the current Clerk secret key (from <see cref="IClerkSecretProvider"/>, which
/// caches it; the derived key is kept per secret), and the verified <see cref="MessageLineage"/> of a message.
/// </summary>
public sealed partial class MessageSigner(IClerkSecretProvider secrets, ILogger<MessageSigner> logger)
{
    private volatile Derived? _derived;

    private sealed record Derived(ClerkSecret Secret, MessageSignature Signature);

    /// <summary>
    /// The signature key; null (logged as a warning) when the Clerk secret key cannot be had. Then nothing can be
    /// verified (every message counts as a producer's) and nothing is signed: the settler sends no retry copy (see
    /// its remarks), a replay copy goes unsigned, and a dead letter's signature is emptied.
    /// </summary>
    public async ValueTask<MessageSignature?> GetSignatureAsync(CancellationToken cancellationToken = default)
    {
        ClerkSecret secret;
        try
        {
            secret = await secrets.GetAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (ClerkSecretUnavailableException ex)
        {
            LogNoKey(logger, ex.Message);
            return null;
        }
        var derived = _derived;
        if (derived is null || !derived.Secret.Equals(secret))
        {
            derived = new Derived(secret, MessageSignature.FromSecret(secret));
            _derived = derived;
        }
        return derived.Signature;
    }

    /// <summary>The lineage of a message received from the queue (<see cref="MessageLineage.Read"/>).</summary>
    public async ValueTask<MessageLineage> ReadLineageAsync(ServiceBusReceivedMessage message, CancellationToken cancellationToken = default) =>
        MessageLineage.Read(message, await GetSignatureAsync(cancellationToken).ConfigureAwait(false));

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "No key for RoleSync's message signatures (the Clerk secret key is unavailable): rolesync-* properties can be neither verified nor signed. {Failure}")]
    private static partial void LogNoKey(ILogger logger, string failure);
}
