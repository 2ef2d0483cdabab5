using Azure.Messaging.ServiceBus;
using Microsoft.Extensions.Logging.Abstractions;
using RoleSync.Messaging;
using RoleSync.Secrets;

namespace RoleSync.Testing;

/// <summary>RoleSync's message signatures under the harness's secret key, and messages as the broker delivers them.</summary>
public static class TestSigning
{
    public static ClerkSecret Secret { get; } = new(RoleSyncHarness.SecretKey);

    /// <summary>The key derived from <see cref="Secret"/>.</summary>
    public static MessageSignature Signature { get; } = MessageSignature.FromSecret(Secret);

    /// <summary>A key derived from another secret (a rotated key, or a forger's guess).</summary>
    public static MessageSignature OtherSignature { get; } = MessageSignature.FromSecret(new ClerkSecret("sk_test_some_other_key"));

    /// <summary>A signer whose secret key is <see cref="Secret"/>.</summary>
    public static MessageSigner Signer() => new(new ConfiguredClerkSecretProvider(Secret), NullLogger<MessageSigner>.Instance);

    /// <summary>
    /// <paramref name="properties"/> with RoleSync's signature of <paramref name="scope"/> added, as RoleSync would write
    /// them on a message with <paramref name="messageId"/> and <paramref name="body"/> (the signature covers the body).
    /// </summary>
    public static Dictionary<string, object> Signed(
        string messageId, BinaryData body, IDictionary<string, object> properties, MessageSignatureScope scope = MessageSignatureScope.Copy, DateTimeOffset scheduledEnqueueTime = default)
    {
        var signed = new Dictionary<string, object>(properties);
        signed[MessageProperties.Signature] = Signature.Compute(scope, messageId, scheduledEnqueueTime, body, signed);
        return signed;
    }

    /// <summary>
    /// <paramref name="sent"/> as the broker delivers it: body, ids, properties and the scheduled enqueue time kept,
    /// with the broker's sequence number and delivery count.
    /// </summary>
    public static ServiceBusReceivedMessage Delivered(ServiceBusMessage sent, long sequenceNumber, int deliveryCount = 1) =>
        ServiceBusModelFactory.ServiceBusReceivedMessage(
            body: sent.Body, messageId: sent.MessageId, correlationId: sent.CorrelationId, subject: sent.Subject,
            contentType: sent.ContentType, timeToLive: sent.TimeToLive, properties: new Dictionary<string, object>(sent.ApplicationProperties),
            scheduledEnqueueTime: sent.ScheduledEnqueueTime, sequenceNumber: sequenceNumber, deliveryCount: deliveryCount,
            lockTokenGuid: Guid.NewGuid());
}
